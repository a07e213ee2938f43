package com.anythingagents.billing.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Stripe event as it arrives: the few columns the store indexes, read with one Jackson parse,
 * and the original bytes, stored untouched as the payload.
 * @param tenantHint {@code data.object.metadata.tenant_id}, if the object carries one
 */
public record ReceivedEvent(
        String id,
        String type,
        Optional<String> apiVersion,
        boolean livemode,
        Instant created,
        Optional<String> objectId,
        Optional<String> tenantHint,
        byte[] payload) {

    static final int MAX_ID_LENGTH = 255;

    /**
     * Reads the indexed columns of an event.
     * @throws MalformedEventException when the bytes are not JSON or not a Stripe event
     */
    public static ReceivedEvent parse(byte[] payload, JsonMapper json) {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JacksonException ex) {
            throw new MalformedEventException("The body is not valid JSON");
        }
        if (root == null
                || !root.isObject()
                || !"event".equals(root.path("object").asString(null))) {
            throw new MalformedEventException("The body is not a Stripe event (object must be \"event\")");
        }
        String id = text(root, "id").filter(v -> v.length() <= MAX_ID_LENGTH).orElse(null);
        String type =
                text(root, "type").filter(v -> v.length() <= MAX_ID_LENGTH).orElse(null);
        JsonNode created = root.path("created");
        JsonNode object = root.path("data").path("object");
        if (id == null || type == null || !created.isIntegralNumber() || !object.isObject()) {
            throw new MalformedEventException("The event lacks id, type, created or data.object");
        }
        return new ReceivedEvent(
                id,
                type,
                text(root, "api_version"),
                root.path("livemode").asBoolean(false),
                Instant.ofEpochSecond(created.asLong()),
                text(object, "id"),
                text(object.path("metadata"), "tenant_id"),
                payload);
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isBlank() ? Optional.of(value.asString()) : Optional.empty();
    }
}
