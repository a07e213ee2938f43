package com.anythingagents.billing.usage;

import java.time.Duration;
import java.time.Instant;

/**
 * Stripe's window for meter event timestamps, judged by Stripe's clock, and the margins this
 * service keeps inside it. Past the window Stripe refuses an event, or (the v2 stream) answers 2xx
 * and drops it later without a word: usage sent at the very edge could be acknowledged by Stripe
 * and never billed. So the outbox stops an hour before the edge, and the intake takes usage only
 * while a day is left to deliver it.
 */
final class UsageWindow {

    /** Stripe accepts meter events up to 35 days old ... */
    static final Duration STRIPE_MAX_AGE = Duration.ofDays(35);

    /** ... and at most 5 minutes ahead of its clock. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    /** The oldest usage the intake takes: a day inside Stripe's window. */
    static final Duration ACCEPT_MAX_AGE = STRIPE_MAX_AGE.minusDays(1);

    /** The outbox sends nothing this close to the edge (the call's own time, clock differences). */
    static final Duration SEND_MARGIN = Duration.ofHours(1);

    /**
     * Stripe deduplicates meter event identifiers for at least 24 hours: a record whose send may have
     * reached Stripe is not sent again once this long has passed since (an hour inside Stripe's).
     */
    static final Duration IDENTIFIER_MEMORY = Duration.ofHours(23);

    private UsageWindow() {}

    /** Usage that happened before this is refused by the intake. */
    static Instant acceptedAfter(Instant stripeNow) {
        return stripeNow.minus(ACCEPT_MAX_AGE);
    }

    /** Usage that happened before this is no longer sent: it becomes failed, saying why. */
    static Instant sendableAfter(Instant stripeNow) {
        return stripeNow.minus(STRIPE_MAX_AGE).plus(SEND_MARGIN);
    }
}
