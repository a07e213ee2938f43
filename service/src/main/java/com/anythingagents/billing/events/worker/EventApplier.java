package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.ActivityRecorder;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.store.ClaimedEvent;
import com.anythingagents.billing.events.store.EventQueue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a run of events in one transaction: takes the lock of every customer (or object) they
 * belong to, in one sorted statement so two workers can never deadlock on them, reads the
 * customers' tenant links once, applies the events in order, records their activity and marks them
 * processed with one statement whose row count must match (fewer: another worker took some over,
 * so everything rolls back). A handler that needs an object from Stripe that was not read yet rolls
 * the transaction back; the object is read outside it and the run is applied again.
 */
@Component
class EventApplier {

    private static final Logger log = LoggerFactory.getLogger(EventApplier.class);

    /** Reads of objects found only while applying (ties with rows of an earlier batch), per run. */
    static final int MAX_READ_ROUNDS = 8;

    private final EventDispatcher dispatcher;

    private final ActivityRecorder activity;

    private final EventQueue queue;

    private final StripeReads reads;

    private final JdbcClient jdbc;

    private final TransactionTemplate transaction;

    private final Clock clock;

    EventApplier(
            EventDispatcher dispatcher,
            ActivityRecorder activity,
            EventQueue queue,
            StripeReads reads,
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.dispatcher = dispatcher;
        this.activity = activity;
        this.queue = queue;
        this.reads = reads;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * An event to apply.
     * @param claimed its row and lease; null when applied detached from the store (tests' stand-in)
     */
    record Item(ClaimedEvent claimed, StripeEvent event, String lockKey) {

        static Item of(ClaimedEvent claimed, StripeEvent event) {
            return new Item(claimed, event, EventDispatcher.lockKey(event));
        }
    }

    /** How applying a run ended; nothing of a run that did not end {@link Applied} was committed. */
    sealed interface Result {}

    /**
     * @param events what was applied, in the run's order
     * @param deferred items left alone (and given back unprocessed): another claim holds an older
     *     event of their customer, which must be applied first
     */
    record Applied(List<Done> events, List<Item> deferred) implements Result {}

    /** An applied item and what applying it did. */
    record Done(Item item, EventDispatcher.Applied applied) {}

    /** Another worker holds at least one of the run's rows now. */
    record LeaseLost() implements Result {}

    record Failed(Throwable cause) implements Result {}

    /**
     * Applies {@code items} (grouped by lock key, each group in Stripe time order) in one transaction.
     * @param inOrder defer customers another claim holds an older event of (false for a replay,
     *     which is out of order on purpose)
     */
    Result apply(List<Item> items, Fetched fetched, boolean inOrder) {
        for (int round = 0; ; round++) {
            try {
                Applied applied = transaction.execute(status -> applyInTransaction(items, fetched, inOrder));
                release(applied.deferred()); // never throws: what committed is reported as applied
                return applied;
            } catch (Fetched.CurrentNeeded needed) {
                if (round >= MAX_READ_ROUNDS || fetched.has(needed.object())) {
                    return new Failed(new IllegalStateException("could not settle what to read from Stripe", needed));
                }
                reads.read(List.of(needed.object()), fetched); // outside the transaction, which rolled back
            } catch (LostLease ex) {
                return new LeaseLost();
            } catch (Throwable ex) { // NOPMD: an Error of a handler is a failed attempt like any other
                return new Failed(ex);
            }
        }
    }

    /** Applies one event outside the queue (no claim, no status): what tests' stand-in worker does. */
    List<BillingChange> applyDetached(StripeEvent event) {
        Fetched fetched = new Fetched();
        reads.read(dispatcher.likelyReads(List.of(event)), fetched);
        Result result = apply(List.of(Item.of(null, event)), fetched, false);
        if (result instanceof Failed failed) {
            if (failed.cause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(failed.cause());
        }
        return ((Applied) result).events().get(0).applied().changes();
    }

    private Applied applyInTransaction(List<Item> all, Fetched fetched, boolean inOrder) {
        lock(all.stream().map(Item::lockKey).toList());
        List<Item> deferred = inOrder ? heldEarlierElsewhere(all) : List.of();
        List<Item> items = deferred.isEmpty()
                ? all
                : all.stream().filter(i -> !deferred.contains(i)).toList();
        Set<String> customers = new LinkedHashSet<>();
        items.forEach(item -> item.event().customerId().ifPresent(customers::add));
        // held under the customers' locks until commit: what is read here stays true
        Map<String, String> links = new HashMap<>(dispatcher.tenantsOf(customers));
        List<Done> done = new ArrayList<>(items.size());
        List<ActivityRecorder.Recorded> changes = new ArrayList<>();
        for (Item item : items) {
            Optional<String> customer = item.event().customerId();
            EventDispatcher.Applied applied = dispatcher.apply(item.event(), customer.map(links::get), fetched);
            if (applied.linked()) {
                links.put(customer.orElseThrow(), applied.tenant().orElseThrow());
            }
            done.add(new Done(item, applied));
            applied.changes().forEach(change -> changes.add(new ActivityRecorder.Recorded(item.event(), change)));
        }
        if (!changes.isEmpty()) {
            activity.recordAll(changes);
        }
        markProcessed(done);
        return new Applied(done, deferred);
    }

    /**
     * The items of customers another live claim holds an older event of. Two workers each hold a
     * slice of one customer's events: the one holding the later slice leaves it to be claimed again
     * once the older one is applied, so a customer's events are applied in order whoever holds them.
     */
    private List<Item> heldEarlierElsewhere(List<Item> items) {
        if (items.get(0).claimed() == null) {
            return List.of();
        }
        Map<String, Item> firstOfCustomer = new LinkedHashMap<>();
        for (Item item : items) {
            item.event().customerId().ifPresent(c -> firstOfCustomer.putIfAbsent(c, item));
        }
        if (firstOfCustomer.isEmpty()) {
            return List.of();
        }
        List<EventQueue.RunStart> runs = firstOfCustomer.entrySet().stream()
                .map(e -> new EventQueue.RunStart(
                        e.getKey(),
                        e.getValue().event().created(),
                        e.getValue().claimed().id()))
                .toList();
        Set<String> held = new HashSet<>(queue.heldEarlierElsewhere(claimOf(items), runs, clock.instant()));
        if (held.isEmpty()) {
            return List.of();
        }
        return items.stream()
                .filter(i -> i.event().customerId().filter(held::contains).isPresent())
                .toList();
    }

    /**
     * Gives deferred items back (their attempt uncounted), after the transaction committed. Should
     * that fail, their lease simply expires and they are claimed again (that claim counts).
     */
    private void release(List<Item> deferred) {
        if (deferred.isEmpty()) {
            return;
        }
        try {
            queue.release(
                    claimOf(deferred),
                    deferred.stream().map(i -> i.claimed().id()).toList());
        } catch (RuntimeException ex) {
            log.warn("Could not give back {} deferred events; their lease will expire", deferred.size(), ex);
        }
    }

    private static String claimOf(List<Item> items) {
        String claim = items.get(0).claimed().claim();
        if (items.stream().anyMatch(i -> !claim.equals(i.claimed().claim()))) {
            throw new IllegalArgumentException("a run is applied under one claim");
        }
        return claim;
    }

    private void lock(List<String> keys) {
        // sorted by the lock's own value, so every transaction takes its locks in one global order
        jdbc.sql("""
                        select count(pg_advisory_xact_lock(k)) from (
                            select distinct hashtextextended(key, 0) as k from unnest(cast(:keys as text[])) as key
                            order by k) as sorted""")
                .param("keys", keys.toArray(String[]::new))
                .query(Long.class)
                .single();
    }

    private void markProcessed(List<Done> applied) {
        if (applied.isEmpty() || applied.get(0).item().claimed() == null) {
            return;
        }
        String claim = claimOf(applied.stream().map(Done::item).toList());
        List<EventQueue.Done> done = applied.stream()
                .map(d -> new EventQueue.Done(
                        d.item().claimed().id(),
                        d.applied().tenant().orElse(null),
                        d.applied().customer().orElse(null),
                        d.applied().conflict().orElse(null)))
                .toList();
        int updated = queue.markProcessed(claim, done, clock.instant());
        if (updated > done.size()) {
            throw new IllegalStateException(
                    "marking " + done.size() + " events processed changed " + updated + " rows");
        }
        if (updated < done.size()) {
            throw new LostLease();
        }
    }

    /** Rolls the run back: one of its rows was taken over by another worker after our lease expired. */
    private static final class LostLease extends RuntimeException {

        LostLease() {
            super("lease lost", null, false, false);
        }
    }
}
