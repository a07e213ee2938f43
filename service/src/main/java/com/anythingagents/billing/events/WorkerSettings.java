package com.anythingagents.billing.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How the event worker and the retention job run, from the environment (defaults in brackets):
 * {@code billing.workers.enabled} [true; false gives manual mode], {@code BILLING_WORKER_THREADS} [2],
 * {@code BILLING_WORKER_BATCH_SIZE} [50], {@code BILLING_WORKER_LEASE_SECONDS} [300],
 * {@code BILLING_WORKER_POLL_MILLIS} [1000], {@code BILLING_EVENT_RETENTION_DAYS} [90].
 */
record WorkerSettings(
        boolean enabled, int threads, int batchSize, Duration lease, Duration pollInterval, Duration retention) {

    static WorkerSettings from(Function<String, String> vars) {
        List<String> problems = new ArrayList<>();
        WorkerSettings settings = new WorkerSettings(
                !"false"
                        .equalsIgnoreCase(String.valueOf(vars.apply("billing.workers.enabled"))
                                .strip()),
                positive(vars, "BILLING_WORKER_THREADS", 2, problems),
                positive(vars, "BILLING_WORKER_BATCH_SIZE", 50, problems),
                Duration.ofSeconds(positive(vars, "BILLING_WORKER_LEASE_SECONDS", 300, problems)),
                Duration.ofMillis(positive(vars, "BILLING_WORKER_POLL_MILLIS", 1000, problems)),
                Duration.ofDays(positive(vars, "BILLING_EVENT_RETENTION_DAYS", 90, problems)));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return settings;
    }

    static RetryPolicy retryPolicy(Function<String, String> vars) {
        List<String> problems = new ArrayList<>();
        RetryPolicy policy = new RetryPolicy(
                positive(vars, "BILLING_WEBHOOK_MAX_ATTEMPTS", RetryPolicy.DEFAULT_MAX_ATTEMPTS, problems),
                Duration.ofSeconds(positive(
                        vars,
                        "BILLING_WEBHOOK_RETRY_BASE_SECONDS",
                        (int) RetryPolicy.DEFAULT_BASE.toSeconds(),
                        problems)),
                Duration.ofSeconds(positive(
                        vars,
                        "BILLING_WEBHOOK_RETRY_CAP_SECONDS",
                        (int) RetryPolicy.DEFAULT_CAP.toSeconds(),
                        problems)));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return policy;
    }

    private static int positive(Function<String, String> vars, String name, int defaultValue, List<String> problems) {
        String value = vars.apply(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ex) {
            // reported below
        }
        problems.add(name + " must be a whole number above 0 (got \"" + value.strip() + "\")");
        return defaultValue;
    }
}
