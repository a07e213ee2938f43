package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.ActivityRecorder;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.store.ClaimedEvent;
import com.anythingagents.billing.events.store.EventQueue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a run of events in one transaction: takes the lock of every customer (or object) they
 * belong to, in one sorted statement so two workers can never deadlock on them, reads the
 * customers' tenant links once, applies the events in order, records their activity (replacing the
 * failed item of an event that failed before) and marks them
 * processed with one statement whose row count must match (fewer: another worker took some over,
 * so everything rolls back). A handler that needs an object from Stripe that was not read yet rolls
 * the transaction back; the object is read outside it and the run is applied again.
 */
@Component
class EventApplier {

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
                return transaction.execute(status -> applyInTransaction(items, fetched, inOrder));
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
        List<Item> deferred = inOrder ? waitingForOlder(all) : List.of();
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
        if (!done.isEmpty()) {
            // by tenant (stable, so each tenant's in applied order): the ledger may lock a row per
            // tenant (its stream sequence), and one order across transactions cannot deadlock
            changes.sort(Comparator.comparing(
                    (ActivityRecorder.Recorded r) -> r.change().tenantId(),
                    Comparator.nullsFirst(Comparator.naturalOrder())));
            // every applied event, with a change or not: one that failed before has a failed item to replace
            activity.recordProcessed(done.stream().map(d -> d.item().event()).toList(), changes);
        }
        markProcessed(done);
        release(deferred);
        return new Applied(done, deferred);
    }

    /**
     * The items that must wait because an older event of their customer is still to be applied
     * elsewhere (held by another live claim, or given back and due). A worker holding a later slice
     * of a customer's events leaves them, from that older event on, to be claimed again after it:
     * a customer's events are applied in order whoever holds them.
     */
    private List<Item> waitingForOlder(List<Item> items) {
        if (items.get(0).claimed() == null) {
            return List.of();
        }
        Map<String, EventQueue.Position> lastOfCustomer = new LinkedHashMap<>();
        for (Item item : items) {
            item.event().customerId().ifPresent(c -> lastOfCustomer.put(c, position(c, item)));
        }
        if (lastOfCustomer.isEmpty()) {
            return List.of();
        }
        Map<String, EventQueue.Position> held =
                queue.pendingElsewhereBefore(claimOf(items), List.copyOf(lastOfCustomer.values()), clock.instant());
        if (held.isEmpty()) {
            return List.of();
        }
        return items.stream()
                .filter(item -> item.event()
                        .customerId()
                        .map(held::get)
                        .filter(first -> after(position(first.customerId(), item), first))
                        .isPresent())
                .toList();
    }

    private static EventQueue.Position position(String customer, Item item) {
        return new EventQueue.Position(
                customer, item.event().created(), item.claimed().id());
    }

    private static boolean after(EventQueue.Position a, EventQueue.Position b) {
        int order = a.created().compareTo(b.created());
        return order > 0 || (order == 0 && a.id() > b.id());
    }

    /** Gives deferred items back (their attempt uncounted), in the transaction that applied the others. */
    private void release(List<Item> deferred) {
        if (deferred.isEmpty()) {
            return;
        }
        List<Long> ids = deferred.stream().map(i -> i.claimed().id()).toList();
        if (queue.release(claimOf(deferred), ids) != ids.size()) {
            throw new LostLease();
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
