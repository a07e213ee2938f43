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
 * {@code stripe_events_oldest_unprocessed_age_seconds}, {@code billing_worker_loop_errors_total},
 * {@code billing_tenant_conflicts_total} (events processed with tenant evidence that disagreed),
 * {@code stripe_event_leases_lost_total} (events another worker took over from this one) and
 * {@code stripe_event_reads_total{result}} (objects read from Stripe to settle ties).
 */
@Component
class EventMetrics {

    private final Timer processing;

    private final Counter retries;

    private final Counter dead;

    private final Counter conflicts;

    private final Counter leasesLost;

    private final Counter readsOk;

    private final Counter readsFailed;

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
        this.conflicts = Counter.builder("billing.tenant.conflicts")
                .description("Events processed although their tenant evidence disagreed (see tenant_conflict)")
                .register(registry);
        this.leasesLost = Counter.builder("stripe.event.leases.lost")
                .description("Claimed events another worker took over after this one's lease expired")
                .register(registry);
        this.readsOk = reads(registry, "ok");
        this.readsFailed = reads(registry, "failed");
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

    void tenantConflicts(int count) {
        conflicts.increment(count);
    }

    void leasesLost(int count) {
        leasesLost.increment(count);
    }

    void stripeRead(boolean ok) {
        (ok ? readsOk : readsFailed).increment();
    }

    Runnable loopErrors(String loop) {
        Counter errors = Counter.builder("billing.worker.loop.errors")
                .description("Worker loop iterations that ended in an exception")
                .tag("loop", loop)
                .register(registry);
        return errors::increment;
    }

    private static Counter reads(MeterRegistry registry, String result) {
        return Counter.builder("stripe.event.reads")
                .description("Objects the worker read from Stripe (ties in event time, incomplete payloads)")
                .tag("result", result)
                .register(registry);
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
