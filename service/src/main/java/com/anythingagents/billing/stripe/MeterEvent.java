package com.anythingagents.billing.stripe;

import java.time.Instant;
import java.util.Objects;

/**
 * One Billing Meter Event: {@code value} of {@code eventName} for a customer at {@code timestamp}.
 * Stripe keeps {@code identifier} unique for at least 24 hours, so sending an event again is safe.
 */
public record MeterEvent(String eventName, String identifier, String customerId, long value, Instant timestamp) {

    public MeterEvent {
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
