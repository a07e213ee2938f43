package com.anythingagents.billing.background;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How failed background work is retried: exponential backoff with full jitter (a random delay
 * between 0 and {@code min(cap, base * 2^(attempts-1))}, so a burst of failures does not retry in
 * lockstep), at most {@code maxAttempts} times; then the work is dead until someone acts.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap) {

    public RetryPolicy {
        if (maxAttempts < 1 || base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry policy needs maxAttempts >= 1 and 0 < base <= cap (got "
                    + maxAttempts + ", " + base + ", " + cap + ")");
        }
    }

    /** The longest delay after the given number of failed attempts (the jitter window). */
    public Duration ceiling(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration exponential = base.multipliedBy(1L << doublings);
        return exponential.compareTo(cap) > 0 ? cap : exponential;
    }

    /** The delay before the next attempt, or empty when {@code attempts} failures are the last allowed. */
    public Optional<Duration> delayAfter(int attempts, RandomGenerator random) {
        if (attempts >= maxAttempts) {
            return Optional.empty();
        }
        long ceilingMillis = ceiling(attempts).toMillis();
        return Optional.of(Duration.ofMillis(random.nextLong(ceilingMillis + 1)));
    }
}
