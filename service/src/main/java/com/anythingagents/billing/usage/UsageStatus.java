package com.anythingagents.billing.usage;

import java.util.Locale;

/** Where a usage record is on its way to Stripe. */
enum UsageStatus {
    /** Stored, not yet confirmed by Stripe (retrying included). */
    PENDING,
    /** Stripe took the meter event (or already had it). */
    REPORTED,
    /** Stripe refused it, or its 35-day window closed before delivery: not billed unless re-queued. */
    FAILED;

    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static UsageStatus fromColumn(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
