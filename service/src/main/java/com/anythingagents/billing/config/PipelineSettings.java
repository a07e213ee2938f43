package com.anythingagents.billing.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * How stored events are processed, retried and kept (defaults in brackets):
 * {@code BILLING_WORKER_THREADS} [2], {@code BILLING_WORKER_BATCH_SIZE} [100, at most 1000],
 * {@code BILLING_WORKER_LEASE_SECONDS} [15, at least 3; renewed every third of it while a worker
 * holds the events], {@code BILLING_WORKER_POLL_MILLIS} [1000],
 * {@code BILLING_WORKER_STRIPE_READS_PER_SECOND} [20: Stripe allows 25 in test mode, 100 live,
 * for the whole account], {@code BILLING_WEBHOOK_MAX_ATTEMPTS} [12],
 * {@code BILLING_WEBHOOK_RETRY_BASE_SECONDS} [30], {@code BILLING_WEBHOOK_RETRY_CAP_SECONDS} [3600],
 * {@code BILLING_EVENT_RETENTION_DAYS} [90].
 */
public record PipelineSettings(
        int workerThreads,
        int batchSize,
        Duration lease,
        Duration pollInterval,
        int stripeReadsPerSecond,
        int maxAttempts,
        Duration retryBase,
        Duration retryCap,
        Duration retention) {

    static final Duration MIN_RETENTION = Duration.ofDays(3);

    static final int MAX_BATCH_SIZE = 1000;

    // the heartbeat renews every third of the lease: at least a second apart
    static final Duration MIN_LEASE = Duration.ofSeconds(3);

    static PipelineSettings parse(Function<String, String> vars, List<String> problems) {
        PipelineSettings settings = new PipelineSettings(
                Settings.positive(vars, "BILLING_WORKER_THREADS", 2, problems),
                Settings.positive(vars, "BILLING_WORKER_BATCH_SIZE", 100, problems),
                Duration.ofSeconds(Settings.positive(vars, "BILLING_WORKER_LEASE_SECONDS", 15, problems)),
                Duration.ofMillis(Settings.positive(vars, "BILLING_WORKER_POLL_MILLIS", 1000, problems)),
                Settings.positive(vars, "BILLING_WORKER_STRIPE_READS_PER_SECOND", 20, problems),
                Settings.positive(vars, "BILLING_WEBHOOK_MAX_ATTEMPTS", 12, problems),
                Duration.ofSeconds(Settings.positive(vars, "BILLING_WEBHOOK_RETRY_BASE_SECONDS", 30, problems)),
                Duration.ofSeconds(Settings.positive(vars, "BILLING_WEBHOOK_RETRY_CAP_SECONDS", 3600, problems)),
                Duration.ofDays(Settings.positive(vars, "BILLING_EVENT_RETENTION_DAYS", 90, problems)));
        if (settings.retention.compareTo(MIN_RETENTION) < 0) {
            problems.add("BILLING_EVENT_RETENTION_DAYS must be at least " + MIN_RETENTION.toDays()
                    + ": Stripe redelivers for up to 3 days, and a pruned event would be stored again");
        }
        if (settings.batchSize > MAX_BATCH_SIZE) {
            problems.add("BILLING_WORKER_BATCH_SIZE must be at most " + MAX_BATCH_SIZE + " (got " + settings.batchSize
                    + "): a batch is applied in one transaction");
        }
        if (settings.lease.compareTo(MIN_LEASE) < 0) {
            problems.add("BILLING_WORKER_LEASE_SECONDS must be at least " + MIN_LEASE.toSeconds() + " (got "
                    + settings.lease.toSeconds() + "): the worker renews it every third of it");
        }
        if (settings.retryCap.compareTo(settings.retryBase) < 0) {
            problems.add("BILLING_WEBHOOK_RETRY_CAP_SECONDS must not be below BILLING_WEBHOOK_RETRY_BASE_SECONDS");
        }
        return settings;
    }
}
