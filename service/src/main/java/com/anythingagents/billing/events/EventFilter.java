package com.anythingagents.billing.events;

import java.time.Instant;
import java.util.Optional;

/**
 * Which stored events to list, newest first; {@code before} is the keyset cursor (a row id).
 * @param status empty for every status
 * @param conflictsOnly only events whose tenant evidence disagreed (flagged for operators)
 */
public record EventFilter(
        Optional<EventStatus> status,
        Optional<String> type,
        Optional<String> tenantId,
        Optional<Instant> since,
        Optional<Long> before,
        boolean conflictsOnly,
        int limit) {

    public static final int MAX_LIMIT = 200;

    public EventFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + " (got " + limit + ")");
        }
    }

    public static EventFilter forTenant(String tenantId, Optional<Long> before, int limit) {
        return new EventFilter(
                Optional.empty(), Optional.empty(), Optional.of(tenantId), Optional.empty(), before, false, limit);
    }
}
