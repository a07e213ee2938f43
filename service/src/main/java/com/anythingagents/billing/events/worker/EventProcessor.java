package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.ActivityRecorder;
import com.anythingagents.billing.events.ProcessingOutcome;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventParser;
import com.anythingagents.billing.events.TenantResolver;
import com.anythingagents.billing.events.store.ClaimedEvent;
import com.anythingagents.billing.events.store.EventQueue;
import com.anythingagents.billing.web.RedactedFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Processes a claimed batch: groups its events by lock key (their Stripe customer, else their
 * object), reads from Stripe what ties in the batch will need (before any transaction), then
 * applies the whole batch in one transaction. When that fails it falls back to one transaction per
 * group, and a group that fails to one per event, so a bad event never blocks its neighbours and
 * gets its own error and backoff (and, when its tenant is known, a failed activity item). The attempt
 * was counted when the batch was claimed.
 */
@Component
class EventProcessor {

    private static final Logger log = LoggerFactory.getLogger(EventProcessor.class);

    static final int MAX_ERROR_LENGTH = 2000;

    private final EventApplier applier;

    private final EventDispatcher dispatcher;

    private final StripeReads reads;

    private final EventQueue queue;

    private final RetryPolicy retries;

    private final EventMetrics metrics;

    private final JsonMapper json;

    private final ActivityRecorder activity;

    private final TenantResolver tenants;

    private final TransactionTemplate transaction;

    private final Clock clock;

    EventProcessor(
            EventApplier applier,
            EventDispatcher dispatcher,
            StripeReads reads,
            EventQueue queue,
            RetryPolicy retries,
            EventMetrics metrics,
            JsonMapper json,
            ActivityRecorder activity,
            TenantResolver tenants,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.applier = applier;
        this.dispatcher = dispatcher;
        this.reads = reads;
        this.queue = queue;
        this.retries = retries;
        this.metrics = metrics;
        this.json = json;
        this.activity = activity;
        this.tenants = tenants;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * @param lost events the heartbeat found taken over by another worker: skipped
     * @param done told of each event as soon as it has its outcome (its lease needs no renewal)
     * @return one outcome per claimed event
     */
    List<ProcessingOutcome> process(List<ClaimedEvent> batch, LongPredicate lost, LongConsumer done) {
        List<ProcessingOutcome> outcomes = new Outcomes(batch, done);
        List<EventApplier.Item> items = decode(batch, outcomes);
        if (items.isEmpty()) {
            return outcomes;
        }
        List<List<EventApplier.Item>> groups = groups(items);
        Fetched fetched = new Fetched();
        reads.read(dispatcher.likelyReads(events(items)), fetched);
        List<EventApplier.Item> all = live(groups.stream().flatMap(List::stream).toList(), lost, outcomes);
        if (all.size() == 1) {
            one(all.get(0), fetched, true, outcomes);
        } else if (!all.isEmpty() && !applied(all, fetched, outcomes)) {
            inSmallerRuns(groups, fetched, lost, outcomes);
        }
        return outcomes;
    }

    /** After the whole batch failed: each group on its own, and each event of a failing group. */
    private void inSmallerRuns(
            List<List<EventApplier.Item>> groups,
            Fetched fetched,
            LongPredicate lost,
            List<ProcessingOutcome> outcomes) {
        for (List<EventApplier.Item> group : groups) {
            List<EventApplier.Item> live = live(group, lost, outcomes);
            // a batch of one group just failed as a whole: go on event by event
            if (groups.size() > 1 && live.size() > 1 && applied(live, fetched, outcomes)) {
                continue;
            }
            for (EventApplier.Item item : live) {
                one(item, fetched, true, outcomes);
            }
        }
    }

    /** The events as handlers see them; an event that cannot be read fails on its own. */
    private List<EventApplier.Item> decode(List<ClaimedEvent> batch, List<ProcessingOutcome> outcomes) {
        List<EventApplier.Item> items = new ArrayList<>(batch.size());
        for (ClaimedEvent claimed : batch) {
            if (claimed.attempts() > retries.maxAttempts()) {
                // the attempt that found it abandoned is not one: it stays at the last allowed
                int last = claimed.attempts() - 1;
                outcomes.add(failed(claimed, last, new AttemptNeverFinished(last)));
                continue;
            }
            try {
                items.add(EventApplier.Item.of(claimed, parse(claimed)));
            } catch (RuntimeException ex) {
                outcomes.add(failed(claimed, ex));
            }
        }
        return items;
    }

    // the stored payload is the event as Stripe sent it: one parser for every source
    private StripeEvent parse(ClaimedEvent claimed) {
        return StripeEventParser.parse(json.readTree(claimed.payload()));
    }

    private static List<StripeEvent> events(List<EventApplier.Item> items) {
        return items.stream().map(EventApplier.Item::event).toList();
    }

    /** Processes one claimed event on its own, now, even if older events of its customer wait (a replay). */
    ProcessingOutcome replay(ClaimedEvent claimed) {
        StripeEvent event;
        try {
            event = parse(claimed);
        } catch (RuntimeException ex) {
            return failed(claimed, ex);
        }
        Fetched fetched = new Fetched();
        reads.read(dispatcher.likelyReads(List.of(event)), fetched);
        List<ProcessingOutcome> outcomes = new ArrayList<>(1);
        one(EventApplier.Item.of(claimed, event), fetched, false, outcomes);
        return outcomes.get(0);
    }

    /** By lock key, each group in Stripe's created order (then arrival), groups in order of first event. */
    private static List<List<EventApplier.Item>> groups(List<EventApplier.Item> items) {
        Map<String, List<EventApplier.Item>> byKey = new LinkedHashMap<>();
        for (EventApplier.Item item : items) {
            byKey.computeIfAbsent(item.lockKey(), k -> new ArrayList<>()).add(item);
        }
        Comparator<EventApplier.Item> order = Comparator.comparing(
                        (EventApplier.Item i) -> i.event().created())
                .thenComparingLong(i -> i.claimed().id());
        return byKey.values().stream()
                .map(group -> group.stream().sorted(order).toList())
                .toList();
    }

    /** The items still ours; the others get their lease-lost outcome (once). */
    private static List<EventApplier.Item> live(
            List<EventApplier.Item> items, LongPredicate lost, List<ProcessingOutcome> outcomes) {
        List<EventApplier.Item> live = new ArrayList<>(items.size());
        for (EventApplier.Item item : items) {
            if (!lost.test(item.claimed().id())) {
                live.add(item);
            } else if (outcomes.stream()
                    .noneMatch(o -> o.stripeEventId().equals(item.event().id()))) {
                outcomes.add(leaseLost(item.claimed()));
            }
        }
        return live;
    }

    /** Applies a run of several events; true when it committed (their outcomes are added). */
    private boolean applied(List<EventApplier.Item> items, Fetched fetched, List<ProcessingOutcome> outcomes) {
        EventApplier.Result result = applier.apply(items, fetched, true);
        if (result instanceof EventApplier.Applied applied) {
            processed(applied, outcomes);
            return true;
        }
        if (result instanceof EventApplier.Failed failed) {
            log.info(
                    "A run of {} events rolled back ({}); applying them in smaller runs",
                    items.size(),
                    FailureSummary.error(failed.cause()));
        }
        return false;
    }

    private void one(EventApplier.Item item, Fetched fetched, boolean inOrder, List<ProcessingOutcome> outcomes) {
        EventApplier.Result result = applier.apply(List.of(item), fetched, inOrder);
        if (result instanceof EventApplier.Applied applied) {
            processed(applied, outcomes);
        } else if (result instanceof EventApplier.Failed failed) {
            outcomes.add(failed(item.claimed(), failed.cause()));
        } else {
            outcomes.add(leaseLost(item.claimed()));
        }
    }

    private void processed(EventApplier.Applied applied, List<ProcessingOutcome> outcomes) {
        Instant now = clock.instant();
        int conflicts = 0;
        for (EventApplier.Done done : applied.events()) {
            ClaimedEvent claimed = done.item().claimed();
            metrics.processed(Duration.between(claimed.receivedAt(), now));
            if (done.applied().conflict().isPresent()) {
                conflicts++;
            }
            outcomes.add(outcome(claimed, ProcessingOutcome.Result.PROCESSED, claimed.attempts()));
        }
        for (EventApplier.Item deferred : applied.deferred()) {
            outcomes.add(outcome(
                    deferred.claimed(),
                    ProcessingOutcome.Result.DEFERRED,
                    deferred.claimed().attempts() - 1));
        }
        if (conflicts > 0) {
            metrics.tenantConflicts(conflicts);
        }
    }

    private static ProcessingOutcome outcome(ClaimedEvent claimed, ProcessingOutcome.Result result, int attempts) {
        return new ProcessingOutcome(claimed.stripeEventId(), result, attempts, Optional.empty(), Optional.empty());
    }

    private ProcessingOutcome failed(ClaimedEvent event, Throwable ex) {
        return failed(event, event.attempts(), ex);
    }

    private ProcessingOutcome failed(ClaimedEvent event, int attempts, Throwable ex) {
        String error = truncate(describe(ex));
        Optional<Instant> next = retries.delayAfter(attempts, ThreadLocalRandom.current())
                .map(delay -> clock.instant().plus(delay));
        Optional<Failure> failure = failure(event, attempts, next, ex);
        // its own transaction (the event's, if any, rolled back): the status and the tenant's
        // activity item commit together, and the item reaches the live stream after the commit
        boolean marked = Boolean.TRUE.equals(transaction.execute(status -> {
            if (queue.markFailed(event, attempts, error, next) != 1) {
                return false;
            }
            failure.ifPresent(f -> activity.recordFailure(f.event(), f.tenant(), f.summary()));
            return true;
        }));
        if (!marked) {
            return leaseLost(event);
        }
        metrics.failed(next.isPresent());
        // the log gets the scrubbed line (an exception's message may quote SQL parameters or the body);
        // last_error keeps the whole message for operators
        if (next.isPresent()) {
            log.warn(
                    "Event {} ({}) failed on attempt {}: {}",
                    event.stripeEventId(),
                    event.type(),
                    attempts,
                    FailureSummary.error(ex));
        } else {
            log.error(
                    "Event {} ({}) failed on its last attempt {}; replay it once fixed: {}",
                    event.stripeEventId(),
                    event.type(),
                    attempts,
                    FailureSummary.error(ex),
                    RedactedFailure.of(ex));
        }
        return new ProcessingOutcome(
                event.stripeEventId(),
                next.isPresent() ? ProcessingOutcome.Result.RETRY_SCHEDULED : ProcessingOutcome.Result.DEAD,
                attempts,
                Optional.of(error),
                next);
    }

    /** A failed attempt's activity item: for an event that can be read and whose tenant is known. */
    private record Failure(StripeEvent event, String tenant, String summary) {}

    /**
     * The activity item of a failed attempt, read before the status update's transaction (a read of
     * the customer's link, no Stripe call, no lock); empty when the event cannot be read or has no
     * tenant yet (an item without a tenant would reach nobody's stream).
     */
    private Optional<Failure> failure(ClaimedEvent claimed, int attempts, Optional<Instant> next, Throwable ex) {
        StripeEvent event;
        try {
            event = parse(claimed);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
        return tenants.knownTenant(event)
                .map(tenant -> new Failure(event, tenant, FailureSummary.of(attempts, next, ex)));
    }

    private static ProcessingOutcome leaseLost(ClaimedEvent event) {
        log.info("Lost the lease on {} to another worker; its work was rolled back", event.stripeEventId());
        return outcome(event, ProcessingOutcome.Result.LEASE_LOST, event.attempts());
    }

    private static String describe(Throwable ex) {
        return ex.getClass().getSimpleName() + ": " + ex.getMessage();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    /** Outcomes in the order they are known; each tells {@code done} which row it settles. */
    private static final class Outcomes extends ArrayList<ProcessingOutcome> {

        private final Map<String, Long> rowOf = new HashMap<>();

        private final LongConsumer done;

        Outcomes(List<ClaimedEvent> batch, LongConsumer done) {
            super(batch.size());
            batch.forEach(e -> rowOf.put(e.stripeEventId(), e.id()));
            this.done = done;
        }

        @Override
        public boolean add(ProcessingOutcome outcome) {
            Long row = rowOf.get(outcome.stripeEventId());
            if (row != null) {
                done.accept(row);
            }
            return super.add(outcome);
        }
    }

    /** The last allowed attempt was claimed but never recorded: its worker died or was stopped mid-event. */
    private static final class AttemptNeverFinished extends RuntimeException {

        AttemptNeverFinished(int attempt) {
            super(
                    "attempt " + attempt + " was claimed but never finished (the worker died, was killed or hit an"
                            + " Error mid-event); no attempt is left",
                    null,
                    false,
                    false);
        }
    }
}
