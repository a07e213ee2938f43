package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.math.BigDecimal;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/billing/meter_events}, with Stripe's synchronous checks: unique
 * {@code identifier}, timestamp within the past 35 days and at most 5 minutes ahead.
 */
final class MeterEvents {

    private static final long MAX_AGE_SECONDS = 35L * 24 * 3600;
    private static final long MAX_SKEW_SECONDS = 5L * 60;

    private final Emulation emu;

    MeterEvents(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("POST", "/v1/billing/meter_events", this::create);
    }

    private ObjectNode create(ApiRequest request) {
        String eventName = request.requireString("event_name");
        JsonNode payload = request.node("payload")
                .filter(JsonNode::isObject)
                .orElseThrow(() -> StripeException.missing("payload"));
        String identifier = request.string("identifier").orElseGet(() -> Ids.random(24));
        if (emu.store().find("billing.meter_event", identifier).isPresent()) {
            throw new StripeException(
                    400,
                    "invalid_request_error",
                    "resource_already_exists",
                    "identifier",
                    "An event already exists with identifier " + identifier + ".");
        }
        long now = emu.now();
        long timestamp = request.integer("timestamp").orElse(now);
        if (timestamp < now - MAX_AGE_SECONDS) {
            throw StripeException.invalid("timestamp", "Timestamp must be within the past 35 calendar days.");
        }
        if (timestamp > now + MAX_SKEW_SECONDS) {
            throw StripeException.invalid("timestamp", "Timestamp must not be more than 5 minutes in the future.");
        }
        validatePayload(eventName, payload);
        ObjectNode e = StripeJson.object();
        e.put("object", "billing.meter_event");
        e.put("created", now);
        e.put("event_name", eventName);
        e.put("identifier", identifier);
        e.put("livemode", false);
        e.set("payload", payload.deepCopy());
        e.put("timestamp", timestamp);
        emu.store().put("billing.meter_event", identifier, e);
        return e;
    }

    /** When a meter listens to this event name, its customer and value keys must be usable. */
    private void validatePayload(String eventName, JsonNode payload) {
        for (ObjectNode meter : emu.store().all("billing.meter")) {
            if (!meter.get("event_name").asString().equals(eventName)) {
                continue;
            }
            String customerKey =
                    meter.path("customer_mapping").path("event_payload_key").asString();
            String valueKey =
                    meter.path("value_settings").path("event_payload_key").asString();
            if (payload.path(customerKey).asString("").isEmpty()) {
                throw StripeException.missing("payload[" + customerKey + "]");
            }
            JsonNode value = payload.get(valueKey);
            if (value != null) {
                try {
                    new BigDecimal(value.asString());
                } catch (NumberFormatException ex) {
                    throw StripeException.invalid("payload[" + valueKey + "]", "The value must be a number.");
                }
            }
        }
        for (Map.Entry<String, JsonNode> field : payload.properties()) {
            if (!field.getValue().isValueNode()) {
                throw StripeException.invalid("payload[" + field.getKey() + "]", "Payload values must be strings.");
            }
        }
    }
}
