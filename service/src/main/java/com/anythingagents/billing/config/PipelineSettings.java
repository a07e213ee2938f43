package com.anythingagents.billing.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * How stored events are processed, retried and kept (defaults in brackets):
 * {@code BILLING_WORKER_THREADS} [2], {@code BILLING_WORKER_BATCH_SIZE} [50],
 * {@code BILLING_WORKER_LEASE_SECONDS} [300], {@code BILLING_WORKER_POLL_MILLIS} [1000],
 * {@code BILLING_WEBHOOK_MAX_ATTEMPTS} [12], {@code BILLING_WEBHOOK_RETRY_BASE_SECONDS} [30],
 * {@code BILLING_WEBHOOK_RETRY_CAP_SECONDS} [3600], {@code BILLING_EVENT_RETENTION_DAYS} [90].
 */
public record PipelineSettings(
        int workerThreads,
        int batchSize,
        Duration lease,
        Duration pollInterval,
        int maxAttempts,
        Duration retryBase,
        Duration retryCap,
        Duration retention) {

    static final Duration MIN_RETENTION = Duration.ofDays(3);

    static PipelineSettings parse(Function<String, String> vars, List<String> problems) {
        PipelineSettings settings = new PipelineSettings(
                Settings.positive(vars, "BILLING_WORKER_THREADS", 2, problems),
                Settings.positive(vars, "BILLING_WORKER_BATCH_SIZE", 50, problems),
                Duration.ofSeconds(Settings.positive(vars, "BILLING_WORKER_LEASE_SECONDS", 300, problems)),
                Duration.ofMillis(Settings.positive(vars, "BILLING_WORKER_POLL_MILLIS", 1000, problems)),
                Settings.positive(vars, "BILLING_WEBHOOK_MAX_ATTEMPTS", 12, problems),
                Duration.ofSeconds(Settings.positive(vars, "BILLING_WEBHOOK_RETRY_BASE_SECONDS", 30, problems)),
                Duration.ofSeconds(Settings.positive(vars, "BILLING_WEBHOOK_RETRY_CAP_SECONDS", 3600, problems)),
                Duration.ofDays(Settings.positive(vars, "BILLING_EVENT_RETENTION_DAYS", 90, problems)));
        if (settings.retention.compareTo(MIN_RETENTION) < 0) {
            problems.add("BILLING_EVENT_RETENTION_DAYS must be at least " + MIN_RETENTION.toDays()
                    + ": Stripe redelivers for up to 3 days, and a pruned event would be stored again");
        }
        if (settings.retryCap.compareTo(settings.retryBase) < 0) {
            problems.add("BILLING_WEBHOOK_RETRY_CAP_SECONDS must not be below BILLING_WEBHOOK_RETRY_BASE_SECONDS");
        }
        return settings;
    }
}
