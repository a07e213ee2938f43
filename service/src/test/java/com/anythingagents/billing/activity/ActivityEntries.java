package com.anythingagents.billing.activity;

import java.time.Instant;

/** Activity items for tests that need one without a database. */
public final class ActivityEntries {

    private ActivityEntries() {}

    /** A minimal item of tenant {@code acme} with sequence {@code seq}. */
    public static ActivityEntry tick(long seq) {
        return new ActivityEntry(
                seq,
                "acme",
                "test.tick",
                "s",
                "processed",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Instant.EPOCH,
                null);
    }
}
