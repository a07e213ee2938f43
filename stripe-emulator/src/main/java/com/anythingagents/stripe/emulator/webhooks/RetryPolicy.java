package com.anythingagents.stripe.emulator.webhooks;

import java.time.Duration;

/** Exponential backoff: attempt n waits {@code baseDelay × 2^(n-2)} after attempt n-1. */
public record RetryPolicy(Duration baseDelay, int maxAttempts, Duration timeout) {

    public RetryPolicy {
        if (baseDelay.isNegative() || maxAttempts < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("bad webhook retry policy: " + baseDelay + ", " + maxAttempts);
        }
    }

    Duration delayBefore(int attempt) {
        return baseDelay.multipliedBy(1L << Math.min(attempt - 2, 20));
    }
}
