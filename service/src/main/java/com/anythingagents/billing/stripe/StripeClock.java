package com.anythingagents.billing.stripe;

import java.time.Clock;
import java.time.Instant;

/**
 * Stripe's "now", for what Stripe judges by its own clock: a meter event's timestamp must be at
 * most 35 days old and 5 minutes ahead of it, and lands in the billing period around it. Against
 * real Stripe it is this service's clock. In local mode it is the emulator's, which moves when a
 * developer (or a test) advances it: usage recorded after an advance then falls in the new period,
 * as it would with a Stripe test clock.
 */
public final class StripeClock {

    private final Clock clock;

    public StripeClock(Clock clock) {
        this.clock = clock;
    }

    public Instant instant() {
        return clock.instant();
    }
}
