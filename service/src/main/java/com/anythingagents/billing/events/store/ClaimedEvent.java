package com.anythingagents.billing.events.store;

import java.time.Instant;

/**
 * A row this worker holds a lease on. Every update of it must still match {@code claim}, the token
 * of the claim that leased it: if the lease expired and another worker claimed the row, the token
 * changed and the update finds nothing.
 * @param attempts counted when the row was claimed, this attempt included
 */
public record ClaimedEvent(
        long id,
        String stripeEventId,
        String type,
        Instant created,
        String payload,
        int attempts,
        Instant receivedAt,
        String claim) {}
