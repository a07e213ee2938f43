package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.ProcessingOutcome;
import com.anythingagents.billing.events.store.ClaimedEvent;
import com.anythingagents.billing.events.store.StripeEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Processes one leased event in its own transaction (handlers, activity and the status change
 * commit together); a failure rolls all of it back and is recorded in a second transaction with
 * the next attempt time from the retry policy.
 */
@Component
class EventProcessor {

    private static final Logger log = LoggerFactory.getLogger(EventProcessor.class);

    static final int MAX_ERROR_LENGTH = 2000;

    private final StripeEventStore store;

    private final EventDispatcher dispatcher;

    private final TransactionTemplate transaction;

    private final RetryPolicy retries;

    private final EventMetrics metrics;

    private final Clock clock;

    EventProcessor(
            StripeEventStore store,
            EventDispatcher dispatcher,
            PlatformTransactionManager transactions,
            RetryPolicy retries,
            EventMetrics metrics,
            Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.transaction = new TransactionTemplate(transactions);
        this.retries = retries;
        this.metrics = metrics;
        this.clock = clock;
    }

    ProcessingOutcome process(ClaimedEvent event) {
        try {
            transaction.executeWithoutResult(status -> {
                Optional<String> tenant = dispatcher.dispatch(event);
                if (store.markProcessed(event, tenant, clock.instant()) != 1) {
                    throw new LeaseLost();
                }
            });
        } catch (LeaseLost ex) {
            log.info("Lost the lease on {} to another worker; its work was rolled back", event.stripeEventId());
            return new ProcessingOutcome(
                    event.stripeEventId(),
                    ProcessingOutcome.Result.LEASE_LOST,
                    event.attempts(),
                    Optional.empty(),
                    Optional.empty());
        } catch (RuntimeException ex) {
            return failed(event, ex);
        }
        metrics.processed(Duration.between(event.receivedAt(), clock.instant()));
        return new ProcessingOutcome(
                event.stripeEventId(),
                ProcessingOutcome.Result.PROCESSED,
                event.attempts(),
                Optional.empty(),
                Optional.empty());
    }

    private ProcessingOutcome failed(ClaimedEvent event, RuntimeException ex) {
        String error = truncate(ex.getClass().getSimpleName() + ": " + ex.getMessage());
        int attempts = event.attempts() + 1;
        Optional<Instant> next = retries.delayAfter(attempts, ThreadLocalRandom.current())
                .map(delay -> clock.instant().plus(delay));
        if (transaction.execute(status -> store.markFailed(event, error, next)) != 1) {
            return new ProcessingOutcome(
                    event.stripeEventId(),
                    ProcessingOutcome.Result.LEASE_LOST,
                    event.attempts(),
                    Optional.of(error),
                    Optional.empty());
        }
        metrics.failed(next.isPresent());
        if (next.isPresent()) {
            log.warn("Event {} ({}) failed on attempt {}: {}", event.stripeEventId(), event.type(), attempts, error);
        } else {
            log.error(
                    "Event {} ({}) failed on its last attempt {}; replay it once fixed: {}",
                    event.stripeEventId(),
                    event.type(),
                    attempts,
                    error,
                    ex);
        }
        return new ProcessingOutcome(
                event.stripeEventId(),
                next.isPresent() ? ProcessingOutcome.Result.RETRY_SCHEDULED : ProcessingOutcome.Result.DEAD,
                attempts,
                Optional.of(error),
                next);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    /** Rolls the processing transaction back when our row was taken over meanwhile. */
    private static final class LeaseLost extends RuntimeException {

        LeaseLost() {
            super("lease lost", null, false, false);
        }
    }
}
