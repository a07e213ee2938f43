package com.anythingagents.billing.events;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code stripe_events} as operators and tenants see it.
 * @param nextAttemptAt empty once the event is dead (retries exhausted) or processed
 * @param customerId the Stripe customer of the event's object, once processed
 * @param tenantConflict tenant evidence that disagreed with {@code tenantId}, both values
 * @param payload the stored event JSON; present only when asked for a single event
 */
public record StoredEvent(
        long id,
        String stripeEventId,
        String type,
        Optional<String> apiVersion,
        boolean livemode,
        Instant stripeCreatedAt,
        Optional<String> objectId,
        Optional<String> tenantId,
        Optional<String> customerId,
        Optional<String> tenantConflict,
        EventStatus status,
        int attempts,
        Optional<String> lastError,
        Optional<Instant> nextAttemptAt,
        Optional<Instant> lockedUntil,
        Instant receivedAt,
        Optional<Instant> processedAt,
        Optional<String> payload) {

    /** Failed with no attempt left: only a replay moves it again. */
    public boolean dead() {
        return status == EventStatus.FAILED && nextAttemptAt.isEmpty();
    }
}
