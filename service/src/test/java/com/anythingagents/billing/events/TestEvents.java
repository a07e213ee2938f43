package com.anythingagents.billing.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe events built for a test: a recorded fixture's object (realistic, full shape) with the
 * ids, customer and metadata the test needs, wrapped in an event of any type and time.
 */
public final class TestEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestEvents() {}

    /** A copy of {@code data.object} of a recorded fixture, e.g. {@code 015_invoice.paid.json}. */
    public static ObjectNode object(String fixture) {
        return (ObjectNode) JSON.readTree(StripeFixtures.raw(fixture))
                .path("data")
                .path("object")
                .deepCopy();
    }

    /** Sets {@code metadata.tenant_id} (null removes the metadata). */
    public static ObjectNode tenant(ObjectNode object, String tenant) {
        if (tenant == null) {
            object.putObject("metadata");
        } else {
            object.putObject("metadata").put("tenant_id", tenant);
        }
        return object;
    }

    public static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** The event as Stripe would send it. */
    public static String json(String id, String type, Instant created, ObjectNode object) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", id);
        event.put("object", "event");
        event.put("api_version", "2026-07-29.dahlia");
        event.put("created", created.getEpochSecond());
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("type", type);
        event.putObject("data").set("object", object.deepCopy());
        return JSON.writeValueAsString(event);
    }

    public static byte[] bytes(String id, String type, Instant created, ObjectNode object) {
        return json(id, type, created, object).getBytes(StandardCharsets.UTF_8);
    }

    /** The event as a handler sees it. */
    public static StripeEvent event(String id, String type, Instant created, ObjectNode object) {
        return StripeEventParser.parse(JSON.readTree(json(id, type, created, object)));
    }
}
