package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Recording meter events, for {@code POST /v1/billing/meter_events} and the v2 meter event stream
 * alike: one {@link MeterEventLog} keyed by {@code identifier} (the dedupe index), Stripe's timestamp window
 * (past 35 days, at most 5 minutes ahead) and payload checks. v1 answers a rejected event with
 * Stripe's synchronous 400; the stream accepts the batch and drops the event, as Stripe's
 * asynchronous validation does, keeping the reason for {@code GET /_emulator/meter_event_errors}.
 */
final class MeterEvents {

    private static final long MAX_AGE_SECONDS = 35L * 24 * 3600;
    private static final long MAX_SKEW_SECONDS = 5L * 60;
    private static final int KEPT_ERRORS = 1_000;

    private final Emulation emu;
    private final Deque<ObjectNode> errors = new ArrayDeque<>();

    MeterEvents(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("POST", "/v1/billing/meter_events", this::create);
    }

    /** Why an event was not recorded: Stripe's error code, the parameter and the message. */
    record Rejection(int status, String code, String param, String message) {

        StripeException toException() {
            return new StripeException(status, "invalid_request_error", code, param, message);
        }
    }

    private ObjectNode create(ApiRequest request) {
        String eventName = request.requireString("event_name");
        JsonNode payload = request.node("payload")
                .filter(JsonNode::isObject)
                .orElseThrow(() -> StripeException.missing("payload"));
        String identifier = request.string("identifier").orElseGet(() -> Ids.random(24));
        long timestamp = request.integer("timestamp").orElse(emu.now());
        Rejection rejected = check(eventName, identifier, payload, timestamp);
        if (rejected != null) {
            throw rejected.toException();
        }
        return store(eventName, identifier, payload, timestamp);
    }

    /**
     * Records one event from the stream; a duplicate or invalid event is dropped silently (Stripe
     * validates stream events asynchronously). Returns true when it was recorded. Caller holds
     * the store lock.
     */
    boolean recordFromStream(String eventName, String identifier, JsonNode payload, long timestamp) {
        Rejection rejected = check(eventName, identifier, payload, timestamp);
        if (rejected == null) {
            store(eventName, identifier, payload, timestamp);
            return true;
        }
        if (!"resource_already_exists".equals(rejected.code())) {
            remember(eventName, identifier, rejected);
        }
        return false;
    }

    /** The most recent stream events that were dropped as invalid, newest last. */
    List<ObjectNode> streamErrors() {
        return List.copyOf(errors);
    }

    void clearErrors() {
        errors.clear();
    }

    private Rejection check(String eventName, String identifier, JsonNode payload, long timestamp) {
        if (emu.store().meterEvents().contains(identifier)) {
            return new Rejection(
                    400,
                    "resource_already_exists",
                    "identifier",
                    "An event already exists with identifier " + identifier + ".");
        }
        long now = emu.now();
        if (timestamp < now - MAX_AGE_SECONDS) {
            return invalid("timestamp", "Timestamp must be within the past 35 calendar days.");
        }
        if (timestamp > now + MAX_SKEW_SECONDS) {
            return invalid("timestamp", "Timestamp must not be more than 5 minutes in the future.");
        }
        return checkPayload(eventName, payload);
    }

    /** When a meter listens to this event name, its customer and value keys must be usable. */
    private Rejection checkPayload(String eventName, JsonNode payload) {
        for (Map.Entry<String, JsonNode> field : payload.properties()) {
            if (!field.getValue().isValueNode()) {
                return invalid("payload[" + field.getKey() + "]", "Payload values must be strings.");
            }
        }
        for (ObjectNode meter : emu.store().values("billing.meter")) {
            if (!meter.get("event_name").asString().equals(eventName)) {
                continue;
            }
            String customerKey =
                    meter.path("customer_mapping").path("event_payload_key").asString();
            String valueKey =
                    meter.path("value_settings").path("event_payload_key").asString();
            if (payload.path(customerKey).asString("").isEmpty()) {
                return new Rejection(
                        400,
                        "parameter_missing",
                        "payload[" + customerKey + "]",
                        "Missing required param: payload[" + customerKey + "].");
            }
            JsonNode value = payload.get(valueKey);
            if (value != null) {
                try {
                    new BigDecimal(value.asString());
                } catch (NumberFormatException ex) {
                    return invalid("payload[" + valueKey + "]", "The value must be a number.");
                }
            }
        }
        return null;
    }

    private static Rejection invalid(String param, String message) {
        return new Rejection(400, "parameter_invalid", param, message);
    }

    private ObjectNode store(String eventName, String identifier, JsonNode payload, long timestamp) {
        return emu.store()
                .meterEvents()
                .add(eventName, identifier, payload, timestamp, emu.now())
                .toJson();
    }

    private void remember(String eventName, String identifier, Rejection rejected) {
        ObjectNode error = StripeJson.object();
        error.put("event_name", eventName);
        error.put("identifier", identifier);
        error.put("code", rejected.code());
        error.put("param", rejected.param());
        error.put("message", rejected.message());
        error.put("at", emu.now());
        errors.addLast(error);
        if (errors.size() > KEPT_ERRORS) {
            errors.removeFirst();
        }
    }
}
