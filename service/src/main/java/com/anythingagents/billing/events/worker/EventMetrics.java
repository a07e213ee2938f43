package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.store.StripeEventStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The worker's meters: {@code stripe_event_processing_seconds} (received → processed),
 * {@code stripe_event_retries_total}, {@code stripe_event_dead_total},
 * {@code stripe_events_oldest_unprocessed_age_seconds} and {@code billing_worker_loop_errors_total}.
 */
@Component
class EventMetrics {

    private final Timer processing;

    private final Counter retries;

    private final Counter dead;

    private final MeterRegistry registry;

    EventMetrics(MeterRegistry registry, StripeEventStore store, Clock clock) {
        this.registry = registry;
        this.processing = Timer.builder("stripe.event.processing")
                .description("Time from receipt of a Stripe event to its processing")
                .publishPercentileHistogram()
                .register(registry);
        this.retries = Counter.builder("stripe.event.retries")
                .description("Failed processing attempts that were scheduled for a retry")
                .register(registry);
        this.dead = Counter.builder("stripe.event.dead")
                .description("Events that failed their last allowed attempt and wait for a replay")
                .register(registry);
        Gauge.builder("stripe.events.oldest.unprocessed.age", () -> oldestAgeSeconds(store, clock))
                .description("Age in seconds of the oldest received or retrying event (0 when none)")
                .baseUnit("seconds")
                .register(registry);
    }

    void processed(Duration sinceReceived) {
        processing.record(sinceReceived.isNegative() ? Duration.ZERO : sinceReceived);
    }

    void failed(boolean willRetry) {
        (willRetry ? retries : dead).increment();
    }

    Runnable loopErrors(String loop) {
        Counter errors = Counter.builder("billing.worker.loop.errors")
                .description("Worker loop iterations that ended in an exception")
                .tag("loop", loop)
                .register(registry);
        return errors::increment;
    }

    private static double oldestAgeSeconds(StripeEventStore store, Clock clock) {
        try {
            return store.oldestPendingReceivedAt()
                    .map(oldest -> Math.max(
                            0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0))
                    .orElse(0.0);
        } catch (RuntimeException ex) {
            return Double.NaN; // database unreachable: no value rather than a wrong one
        }
    }
}
