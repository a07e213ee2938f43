package com.anythingagents.billing.events;

import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A stored Stripe event as handlers see it, read from the raw payload with Jackson (stripe-java's
 * typed deserializer is empty when the event's API version differs from the SDK's).
 * @param object {@code data.object}: the full snapshot of the object at {@code created}
 * @param previousAttributes {@code data.previous_attributes} on {@code *.updated} events
 */
public record StripeEvent(
        String id,
        String type,
        Instant created,
        String apiVersion,
        boolean livemode,
        JsonNode object,
        Optional<JsonNode> previousAttributes) {

    public String objectId() {
        return object.path("id").asString(null);
    }

    /** The Stripe customer the object belongs to ({@code customer}, or the id of a customer object). */
    public Optional<String> customerId() {
        if ("customer".equals(object.path("object").asString(null))) {
            return Optional.ofNullable(objectId());
        }
        JsonNode customer = object.path("customer");
        // expanded customers are objects, plain ones are ids
        String id = customer.isObject() ? customer.path("id").asString(null) : customer.asString(null);
        return Optional.ofNullable(id);
    }
}
