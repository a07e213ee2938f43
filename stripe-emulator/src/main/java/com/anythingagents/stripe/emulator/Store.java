package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * All emulator state: one insertion-ordered table of Stripe JSON objects per type. Tables whose
 * name starts with {@code _} hold internal bookkeeping that is never served. One lock guards it
 * all; requests are short and never wait for I/O under it (the state file is written behind
 * them by {@link StateSaver}), so one lock sustains thousands of requests a second.
 */
final class Store {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, LinkedHashMap<String, ObjectNode>> tables = new LinkedHashMap<>();
    private final MeterEventLog meterEvents = new MeterEventLog();

    <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void locked(Runnable work) {
        locked(() -> {
            work.run();
            return null;
        });
    }

    private LinkedHashMap<String, ObjectNode> table(String type) {
        return tables.computeIfAbsent(type, t -> new LinkedHashMap<>());
    }

    Optional<ObjectNode> find(String type, String id) {
        return Optional.ofNullable(table(type).get(id));
    }

    ObjectNode require(String type, String id) {
        return find(type, id).orElseThrow(() -> StripeException.notFound(type.replace('_', ' '), id));
    }

    void put(String type, String id, ObjectNode object) {
        table(type).put(id, object);
    }

    void put(ObjectNode object) {
        put(object.get("object").asString(), object.get("id").asString(), object);
    }

    void remove(String type, String id) {
        table(type).remove(id);
    }

    /** Oldest first, as inserted; a copy the caller may change. */
    List<ObjectNode> all(String type) {
        return new ArrayList<>(table(type).values());
    }

    /** Oldest first, as inserted; a read-only view for scans that must not copy large tables. */
    java.util.Collection<ObjectNode> values(String type) {
        return java.util.Collections.unmodifiableCollection(table(type).values());
    }

    /** Finds a served object by id in any table (used by expansion and the trigger API). */
    Optional<ObjectNode> findById(String id) {
        return tables.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("_"))
                .map(e -> e.getValue().get(id))
                .filter(o -> o != null)
                .findFirst();
    }

    /** Meter events live in their own compact log, not in a table of JSON objects. */
    MeterEventLog meterEvents() {
        return meterEvents;
    }

    void clear() {
        tables.clear();
        meterEvents.clear();
    }

    /** Writes every table, meter events included, as {@code {type: {id: object}}}; caller holds the lock. */
    void write(JsonGenerator g) {
        g.writeStartObject();
        for (Map.Entry<String, LinkedHashMap<String, ObjectNode>> table : tables.entrySet()) {
            g.writeName(table.getKey());
            g.writeStartObject();
            for (Map.Entry<String, ObjectNode> row : table.getValue().entrySet()) {
                g.writeName(row.getKey());
                g.writeTree(row.getValue());
            }
            g.writeEndObject();
        }
        g.writeName(MeterEventLog.TABLE);
        meterEvents.write(g);
        g.writeEndObject();
    }

    void restore(ObjectNode snapshot) {
        clear();
        for (Map.Entry<String, JsonNode> table : snapshot.properties()) {
            if (table.getKey().equals(MeterEventLog.TABLE)) {
                meterEvents.load(table.getValue());
                continue;
            }
            LinkedHashMap<String, ObjectNode> rows = table(table.getKey());
            table.getValue().properties().forEach(row -> rows.put(row.getKey(), (ObjectNode) row.getValue()));
        }
    }
}
