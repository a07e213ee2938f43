package com.anythingagents.billing.events;

import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Stripe event from its raw JSON (the webhook body or an Events API item) with Jackson,
 * whatever the event's API version: stripe-java's typed deserializer would be empty when the
 * version differs from the SDK's.
 */
public final class StripeEventParser {

    private StripeEventParser() {}

    /**
     * @throws IllegalArgumentException when {@code id}, {@code type}, {@code created} or
     *     {@code data.object} is missing or has the wrong type
     */
    public static StripeEvent parse(JsonNode eventJson) {
        String id = requiredText(eventJson, "id");
        String type = requiredText(eventJson, "type");
        JsonNode created = eventJson.path("created");
        if (!created.isIntegralNumber()) {
            throw new IllegalArgumentException("Stripe event " + id + " has no integer created timestamp");
        }
        JsonNode data = eventJson.path("data");
        JsonNode object = data.path("object");
        if (!object.isObject()) {
            throw new IllegalArgumentException("Stripe event " + id + " has no data.object");
        }
        JsonNode previous = data.path("previous_attributes");
        return new StripeEvent(
                id,
                type,
                Instant.ofEpochSecond(created.asLong()),
                eventJson.path("api_version").asString(null),
                eventJson.path("livemode").asBoolean(false),
                object,
                previous.isObject() ? Optional.of(previous) : Optional.empty());
    }

    private static String requiredText(JsonNode json, String field) {
        JsonNode value = json.path(field);
        if (!value.isString() || value.asString().isBlank()) {
            throw new IllegalArgumentException("Stripe event has no " + field);
        }
        return value.asString();
    }
}
