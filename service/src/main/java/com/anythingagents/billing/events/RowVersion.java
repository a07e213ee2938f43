package com.anythingagents.billing.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The event a local billing row was last written from: its Stripe {@code created} time and id.
 * Rows only move forward in that time (DESIGN §1.4).
 */
public record RowVersion(Instant sourceEventCreated, String sourceEventId) {

    public RowVersion {
        Objects.requireNonNull(sourceEventCreated, "sourceEventCreated");
    }
}
