package com.anythingagents.billing.events.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class RetryPolicyTests {

    private final RetryPolicy policy = new RetryPolicy(12, Duration.ofSeconds(30), Duration.ofHours(1));

    @Property
    void delayStaysWithinTheDoublingCappedWindow(@ForAll @IntRange(min = 1, max = 11) int attempts, @ForAll long seed) {
        Duration delay = policy.delayAfter(attempts, new Random(seed)).orElseThrow();
        Duration ceiling = Duration.ofSeconds(Math.min(3600, 30L << (attempts - 1)));
        assertThat(delay).isBetween(Duration.ZERO, ceiling);
        assertThat(policy.ceiling(attempts)).isEqualTo(ceiling);
    }

    @Property
    void noDelayOnceTheLastAttemptFailed(@ForAll @IntRange(min = 12, max = 1000) int attempts) {
        assertThat(policy.delayAfter(attempts, new Random(1))).isEmpty();
    }
}
