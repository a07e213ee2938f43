package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The v2 high-throughput usage API: {@code POST /v2/billing/meter_event_session} hands out an
 * authentication token valid for 15 minutes of emulator time, and {@code POST
 * /v2/billing/meter_event_stream} takes up to 100 events per call authenticated by that token.
 * Stream events land in the same store as v1 meter events; like Stripe's asynchronous stream, a
 * duplicate identifier or an event that fails validation is dropped without failing the batch.
 */
final class MeterEventStreams {

    static final long SESSION_SECONDS = 15 * 60;
    static final int MAX_EVENTS = 100;
    private static final String SESSIONS = "_meter_event_session";
    private static final DateTimeFormatter RFC_3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Emulation emu;
    private final MeterEvents meterEvents;

    MeterEventStreams(Emulation emu, MeterEvents meterEvents) {
        this.emu = emu;
        this.meterEvents = meterEvents;
    }

    /** One stream event after the synchronous (shape) checks. */
    record StreamEvent(String eventName, String identifier, JsonNode payload, Long timestamp) {}

    /** Creates a session; the caller has checked the secret key and holds the store lock. */
    ObjectNode createSession() {
        long now = emu.now();
        String token = "mes_token_test_" + Ids.random(48);
        ObjectNode session = StripeJson.object();
        session.put("id", Ids.next("mes"));
        session.put("object", "v2.billing.meter_event_session");
        session.put("authentication_token", token);
        session.put("created", RFC_3339.format(Instant.ofEpochSecond(now)));
        session.put("expires_at", RFC_3339.format(Instant.ofEpochSecond(now + SESSION_SECONDS)));
        session.put("livemode", false);
        ObjectNode kept = StripeJson.object();
        kept.put("id", session.get("id").asString());
        kept.put("expires_at", now + SESSION_SECONDS);
        emu.store().put(SESSIONS, token, kept);
        return session;
    }

    /** Checks the {@code Authorization: Bearer <token>} of a stream call; caller holds the lock. */
    boolean authenticate(String authorization) {
        String token = bearer(authorization);
        if (token.isEmpty()) {
            throw new StripeException(
                    401,
                    "invalid_request_error",
                    null,
                    null,
                    "You did not provide an authentication token. Create a meter event session and send its "
                            + "authentication_token as 'Authorization: Bearer <token>'.");
        }
        ObjectNode session = emu.store()
                .find(SESSIONS, token)
                .orElseThrow(() -> new StripeException(
                        401,
                        "invalid_request_error",
                        null,
                        null,
                        "Invalid authentication token provided. The meter event stream only accepts the "
                                + "authentication_token of a meter event session."));
        if (emu.now() >= session.get("expires_at").asLong()) {
            throw new StripeException(
                    401,
                    "temporary_session_expired",
                    "billing_meter_event_session_expired",
                    null,
                    "The meter event session has expired. Create a new meter event session.");
        }
        return true;
    }

    /** Validates the body's shape (no lock needed); a bad body fails the whole call, as in Stripe. */
    static List<StreamEvent> parse(ObjectNode body) {
        JsonNode events = body.get("events");
        if (events == null || events.isNull()) {
            throw StripeException.missing("events");
        }
        if (!events.isArray() || events.isEmpty()) {
            throw StripeException.invalid("events", "events must be a non-empty array of meter events.");
        }
        if (events.size() > MAX_EVENTS) {
            throw StripeException.invalid(
                    "events", "events can contain at most " + MAX_EVENTS + " meter events per request.");
        }
        List<StreamEvent> parsed = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            parsed.add(parseEvent(events.get(i), "events[" + i + "]"));
        }
        return parsed;
    }

    private static StreamEvent parseEvent(JsonNode event, String where) {
        if (!event.isObject()) {
            throw StripeException.invalid(where, where + " must be an object.");
        }
        String name = event.path("event_name").asString("");
        if (!event.path("event_name").isString() || name.isEmpty()) {
            throw StripeException.missing(where + ".event_name");
        }
        JsonNode payload = event.get("payload");
        if (payload == null || !payload.isObject()) {
            throw StripeException.missing(where + ".payload");
        }
        JsonNode identifier = event.get("identifier");
        if (identifier != null && !identifier.isNull() && !identifier.isString()) {
            throw StripeException.invalid(where + ".identifier", "identifier must be a string.");
        }
        JsonNode timestamp = event.get("timestamp");
        Long seconds = null;
        if (timestamp != null && !timestamp.isNull()) {
            try {
                seconds = OffsetDateTime.parse(timestamp.asString()).toEpochSecond();
            } catch (DateTimeParseException e) {
                throw StripeException.invalid(
                        where + ".timestamp",
                        "timestamp must be an RFC 3339 date-time, e.g. 2024-06-01T12:00:00.000Z.");
            }
        }
        return new StreamEvent(
                name, identifier == null || identifier.isNull() ? null : identifier.asString(), payload, seconds);
    }

    /** Records a batch; caller holds the store lock. Returns how many events were new and valid. */
    int record(List<StreamEvent> events) {
        long now = emu.now();
        int recorded = 0;
        for (StreamEvent e : events) {
            String identifier = e.identifier() != null ? e.identifier() : Ids.random(24);
            long timestamp = e.timestamp() != null ? e.timestamp() : now;
            if (meterEvents.recordFromStream(e.eventName(), identifier, e.payload(), timestamp)) {
                recorded++;
            }
        }
        return recorded;
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "";
        }
        return authorization.substring(7).trim();
    }
}
