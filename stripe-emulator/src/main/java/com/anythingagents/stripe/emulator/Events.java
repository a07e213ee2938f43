package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.webhooks.WebhookDispatcher;
import com.anythingagents.stripe.emulator.webhooks.WebhookTarget;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records Stripe events and hands them to the webhook dispatcher. Callers hold the store lock, so
 * the "current request" fields need no further synchronization.
 */
final class Events {

    static final String API_VERSION = "2026-07-29.dahlia";

    private final Store store;
    private final EmulatorClock clock;
    private final WebhookDispatcher dispatcher;
    private String requestId;
    private String idempotencyKey;

    Events(Store store, EmulatorClock clock, WebhookDispatcher dispatcher) {
        this.store = store;
        this.clock = clock;
        this.dispatcher = dispatcher;
    }

    /** Events emitted until {@link #endRequest()} carry this request's id and idempotency key. */
    void beginRequest(String id, String key) {
        requestId = id;
        idempotencyKey = key;
    }

    void endRequest() {
        requestId = null;
        idempotencyKey = null;
    }

    ObjectNode emit(String type, ObjectNode object) {
        return emit(type, object, null);
    }

    /** Snapshots {@code object} now, so later changes never leak into an already emitted event. */
    ObjectNode emit(String type, ObjectNode object, ObjectNode previousAttributes) {
        List<WebhookTarget> targets = targetsFor(type);
        ObjectNode event = StripeJson.object();
        event.put("id", Ids.next("evt"));
        event.put("object", "event");
        event.put("api_version", API_VERSION);
        event.put("created", clock.epochSecond());
        ObjectNode data = event.putObject("data");
        data.set("object", object.deepCopy());
        if (previousAttributes != null) {
            data.set("previous_attributes", previousAttributes);
        }
        event.put("livemode", false);
        event.put("pending_webhooks", targets.size());
        ObjectNode request = event.putObject("request");
        request.put("id", requestId);
        request.put("idempotency_key", idempotencyKey);
        event.put("type", type);
        store.put(event);
        byte[] payload = StripeJson.bytes(event);
        String id = event.get("id").asString();
        targets.forEach(t -> dispatcher.deliver(t, id, type, payload));
        return event;
    }

    private List<WebhookTarget> targetsFor(String type) {
        return store.all("webhook_endpoint").stream()
                .filter(ep -> "enabled".equals(ep.path("status").asString()))
                .filter(ep -> subscribes(ep, type))
                .map(ep -> new WebhookTarget(
                        ep.get("id").asString(),
                        ep.get("url").asString(),
                        store.require("_endpoint_secret", ep.get("id").asString())
                                .get("secret")
                                .asString()))
                .toList();
    }

    private static boolean subscribes(ObjectNode endpoint, String type) {
        for (JsonNode e : endpoint.path("enabled_events")) {
            if (e.asString().equals("*") || e.asString().equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** Stripe's {@code previous_attributes}: the old values of the top-level fields that changed. */
    static ObjectNode previousAttributes(ObjectNode before, ObjectNode after) {
        ObjectNode previous = StripeJson.object();
        for (Map.Entry<String, JsonNode> field : after.properties()) {
            JsonNode old = before.get(field.getKey());
            if (old == null || !old.equals(field.getValue())) {
                previous.set(field.getKey(), old == null ? StripeJson.NODES.nullNode() : old.deepCopy());
            }
        }
        return previous;
    }
}
