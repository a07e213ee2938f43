package com.anythingagents.billing.events.store;

import java.time.Instant;
import java.util.Optional;

/** A row this worker holds a lease on; every update of it must still match {@code lease}. */
public record ClaimedEvent(
        long id,
        String stripeEventId,
        String type,
        Optional<String> apiVersion,
        boolean livemode,
        Instant created,
        Optional<String> tenantHint,
        String payload,
        int attempts,
        Instant receivedAt,
        Lease lease) {

    /** Who holds the row and until when; Postgres keeps microseconds, so {@code until} is truncated to them. */
    public record Lease(String worker, Instant until) {}
}
