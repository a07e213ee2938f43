package com.anythingagents.billing.events.web;

import com.anythingagents.billing.events.StoredEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A stored event in API responses (snake_case); {@code payload} only on the single-event route. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EventView(
        long id,
        String eventId,
        String type,
        String status,
        Boolean dead,
        Integer attempts,
        String lastError,
        Instant nextAttemptAt,
        String tenantId,
        String tenantConflict,
        String customerId,
        String objectId,
        boolean livemode,
        String apiVersion,
        Instant stripeCreatedAt,
        Instant receivedAt,
        Instant processedAt,
        JsonNode payload) {

    /** Everything operators need, payload included when given. */
    static EventView forOperator(StoredEvent e, JsonNode payload) {
        return new EventView(
                e.id(),
                e.stripeEventId(),
                e.type(),
                e.status().column(),
                e.dead(),
                e.attempts(),
                e.lastError().orElse(null),
                e.nextAttemptAt().orElse(null),
                e.tenantId().orElse(null),
                e.tenantConflict().orElse(null),
                e.customerId().orElse(null),
                e.objectId().orElse(null),
                e.livemode(),
                e.apiVersion().orElse(null),
                e.stripeCreatedAt(),
                e.receivedAt(),
                e.processedAt().orElse(null),
                payload);
    }

    /** A tenant's ledger line: no payload, no internal error text, retry bookkeeping or conflicts. */
    static EventView forTenant(StoredEvent e) {
        return new EventView(
                e.id(),
                e.stripeEventId(),
                e.type(),
                e.status().column(),
                null,
                null,
                null,
                null,
                e.tenantId().orElse(null),
                null,
                null,
                e.objectId().orElse(null),
                e.livemode(),
                e.apiVersion().orElse(null),
                e.stripeCreatedAt(),
                e.receivedAt(),
                e.processedAt().orElse(null),
                null);
    }

    /** A page of events and the cursor for the next (older) one, absent on the last page. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Page(java.util.List<EventView> events, Long nextBefore) {

        static Page of(
                java.util.List<StoredEvent> rows, int limit, java.util.function.Function<StoredEvent, EventView> view) {
            Long next = rows.size() == limit ? rows.get(rows.size() - 1).id() : null;
            return new Page(rows.stream().map(view).toList(), next);
        }
    }
}
