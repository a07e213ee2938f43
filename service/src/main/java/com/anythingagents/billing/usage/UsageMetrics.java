package com.anythingagents.billing.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The usage outbox's meters: {@code billing_usage_accepted_total}, {@code billing_usage_reported_total},
 * {@code billing_usage_retries_total}, {@code billing_usage_overdue_total}, {@code billing_usage_failed_total},
 * {@code billing_usage_oldest_pending_age_seconds} and {@code billing_worker_loop_errors_total{loop="usage-outbox"}}.
 */
@Component
class UsageMetrics {

    private final Counter accepted;

    private final Counter reported;

    private final Counter retries;

    private final Counter overdue;

    private final Counter failed;

    private final Counter loopErrors;

    UsageMetrics(MeterRegistry registry, UsageRecords records, Clock clock) {
        accepted = Counter.builder("billing.usage.accepted")
                .description("Usage reports stored (repeats of a key not counted)")
                .register(registry);
        reported = Counter.builder("billing.usage.reported")
                .description("Usage records Stripe took as meter events")
                .register(registry);
        retries = Counter.builder("billing.usage.retries")
                .description("Usage records whose delivery failed and was scheduled again")
                .register(registry);
        overdue = Counter.builder("billing.usage.overdue")
                .description("Failed deliveries of usage records past BILLING_USAGE_MAX_ATTEMPTS attempts (kept"
                        + " pending, retried until Stripe's 35-day window closes): alert on any increase")
                .register(registry);
        failed = Counter.builder("billing.usage.failed")
                .description("Usage records refused by Stripe, or past Stripe's 35-day window: not billed")
                .register(registry);
        loopErrors = Counter.builder("billing.worker.loop.errors")
                .description("Worker loop iterations that ended in an exception")
                .tag("loop", "usage-outbox")
                .register(registry);
        Gauge.builder("billing.usage.oldest.pending.age", () -> oldestAgeSeconds(records, clock))
                .description("Age in seconds of the oldest usage record not yet reported (0 when none)")
                .baseUnit("seconds")
                .register(registry);
    }

    void accepted() {
        accepted.increment();
    }

    void reported(int count) {
        reported.increment(count);
    }

    void retried(int count) {
        retries.increment(count);
    }

    void overdue(int count) {
        overdue.increment(count);
    }

    void failed(int count) {
        failed.increment(count);
    }

    Runnable loopErrors() {
        return loopErrors::increment;
    }

    private static double oldestAgeSeconds(UsageRecords records, Clock clock) {
        try {
            return records.oldestPendingCreatedAt()
                    .map(oldest -> Math.max(
                            0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0))
                    .orElse(0.0);
        } catch (RuntimeException ex) {
            return Double.NaN; // database unreachable: no value rather than a wrong one
        }
    }
}
