package com.anythingagents.billing.events;

import java.time.Instant;
import java.util.List;

/**
 * What a backfill from Stripe's Events API found and did.
 * @param missing the events that were (or, in a dry run, would be) inserted, oldest first
 * @param replays how processing them went, oldest first; empty in a dry run
 */
public record Backfill(int seen, int alreadyStored, List<Missing> missing, List<Replay> replays) {

    /** An event Stripe has and this service had not stored. */
    public record Missing(String id, String type, Instant created) {}
}
