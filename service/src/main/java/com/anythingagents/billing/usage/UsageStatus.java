package com.anythingagents.billing.usage;

import java.util.Locale;

/** Where a usage record is on its way to Stripe. */
enum UsageStatus {
    /** Stored, not yet confirmed by Stripe (retrying included). */
    PENDING,
    /** Stripe took the meter event (or already had it). */
    REPORTED,
    /** Stripe refused it, or every attempt failed: it is not billed. */
    FAILED;

    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static UsageStatus fromColumn(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
