package com.anythingagents.billing.events;

import java.util.Optional;

/**
 * How an event relates to the local row it would change. Stripe delivers out of order and
 * twice, and {@code created} has one-second resolution, so several events of one object often
 * share a second: such a tie cannot be ordered from the payloads and is settled by re-fetching.
 */
public enum Freshness {
    /** No row yet (or one never written by an event): apply the payload. */
    FIRST,
    /** Newer than the row: apply the payload. */
    NEWER,
    /** Same second as the row, different event: re-fetch the object and apply Stripe's current state. */
    TIE,
    /** The very event the row was written from (a redelivery or a replay): nothing to do. */
    DUPLICATE,
    /** Older than the row: nothing to do, a newer event already won. */
    STALE;

    public static Freshness of(Optional<RowVersion> row, StripeEvent event) {
        if (row.isEmpty()) {
            return FIRST;
        }
        RowVersion version = row.get();
        if (event.id().equals(version.sourceEventId())) {
            return DUPLICATE;
        }
        int order = event.created().compareTo(version.sourceEventCreated());
        return order > 0 ? NEWER : order == 0 ? TIE : STALE;
    }

    public boolean applies() {
        return this == FIRST || this == NEWER || this == TIE;
    }
}
