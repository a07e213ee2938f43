package com.anythingagents.stripe.emulator;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every recorded meter event as a small row (about a quarter of a JSON tree's ~1 KB), indexed by
 * {@code identifier} for dedupe, with event names, payload keys and repeated values (customer ids)
 * shared: a usage benchmark records hundreds of thousands of events into an emulator that may run
 * in the service's own heap. The state file still holds them as the {@code billing.meter_event}
 * table, written row by row without building a tree. Guarded by the store lock.
 */
final class MeterEventLog {

    static final String TABLE = "billing.meter_event";
    private static final int MAX_SHARED_STRINGS = 100_000;

    /** One event; {@code payload} holds key, value, key, value… */
    record Row(String eventName, String identifier, long timestamp, long created, String[] payload) {

        String payload(String key) {
            for (int i = 0; i < payload.length; i += 2) {
                if (payload[i].equals(key)) {
                    return payload[i + 1];
                }
            }
            return null;
        }

        /** The {@code billing.meter_event} object, as v1 answers a create. */
        ObjectNode toJson() {
            ObjectNode e = StripeJson.object();
            e.put("object", "billing.meter_event");
            e.put("created", created);
            e.put("event_name", eventName);
            e.put("identifier", identifier);
            e.put("livemode", false);
            ObjectNode p = e.putObject("payload");
            for (int i = 0; i < payload.length; i += 2) {
                p.put(payload[i], payload[i + 1]);
            }
            e.put("timestamp", timestamp);
            return e;
        }

        void write(JsonGenerator g) {
            g.writeStartObject();
            g.writeStringProperty("object", "billing.meter_event");
            g.writeNumberProperty("created", created);
            g.writeStringProperty("event_name", eventName);
            g.writeStringProperty("identifier", identifier);
            g.writeBooleanProperty("livemode", false);
            g.writeName("payload");
            g.writeStartObject();
            for (int i = 0; i < payload.length; i += 2) {
                g.writeStringProperty(payload[i], payload[i + 1]);
            }
            g.writeEndObject();
            g.writeNumberProperty("timestamp", timestamp);
            g.writeEndObject();
        }
    }

    private final LinkedHashMap<String, Row> rows = new LinkedHashMap<>();
    private final Map<String, String> shared = new HashMap<>();

    boolean contains(String identifier) {
        return rows.containsKey(identifier);
    }

    /** Records an event; {@code payload} is an object of value nodes (checked by the caller). */
    Row add(String eventName, String identifier, JsonNode payload, long timestamp, long created) {
        String[] pairs = new String[payload.size() * 2];
        int i = 0;
        for (Map.Entry<String, JsonNode> field : payload.properties()) {
            pairs[i++] = share(field.getKey());
            pairs[i++] = share(field.getValue().asString());
        }
        Row row = new Row(share(eventName), identifier, timestamp, created, pairs);
        rows.put(identifier, row);
        return row;
    }

    /** Oldest first; a read-only view. */
    Collection<Row> rows() {
        return Collections.unmodifiableCollection(rows.values());
    }

    int size() {
        return rows.size();
    }

    void clear() {
        rows.clear();
        shared.clear();
    }

    /** Writes the table as {@code {identifier: event, …}}. */
    void write(JsonGenerator g) {
        g.writeStartObject();
        for (Row row : rows.values()) {
            g.writeName(row.identifier());
            row.write(g);
        }
        g.writeEndObject();
    }

    /** Reads the table back from a state file. */
    void load(JsonNode table) {
        clear();
        for (Map.Entry<String, JsonNode> e : table.properties()) {
            JsonNode event = e.getValue();
            add(
                    event.path("event_name").asString(),
                    e.getKey(),
                    event.path("payload"),
                    event.path("timestamp").asLong(),
                    event.path("created").asLong());
        }
    }

    /** Customer ids, event names and keys repeat across events: one instance each (bounded). */
    private String share(String s) {
        String known = shared.get(s);
        if (known != null) {
            return known;
        }
        if (shared.size() < MAX_SHARED_STRINGS) {
            shared.put(s, s);
        }
        return s;
    }
}
