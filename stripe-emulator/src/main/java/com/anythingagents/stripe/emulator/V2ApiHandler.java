package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.Responses;
import com.anythingagents.stripe.emulator.http.StripeException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves {@code /v2/*} in the v2 wire format: JSON bodies in and out, RFC 3339 timestamps, and
 * errors as {@code {"error":{"type","code","message"}}}. Only the meter event session and stream
 * exist. The stream's body is parsed and checked before the store lock is taken, so a batch holds
 * the lock only for the index lookups and inserts. No idempotency keys are kept for v2 calls: a
 * replayed stream batch is harmless (its identifiers are already recorded) and a replayed session
 * create only hands out another token.
 */
final class V2ApiHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(V2ApiHandler.class);
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final Emulation emu;
    private final MeterEventStreams streams;
    private final Faults faults;

    V2ApiHandler(Emulation emu, MeterEventStreams streams, Faults faults) {
        this.emu = emu;
        this.streams = streams;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = "req_v2" + Ids.random(16);
        exchange.getResponseHeaders().set("Request-Id", requestId);
        exchange.getResponseHeaders().set("Stripe-Version", Events.API_VERSION);
        try {
            Responses.json(exchange, 200, process(exchange));
        } catch (StripeException e) {
            Responses.json(exchange, e.status(), Responses.v2Error(v2(e)));
        } catch (RuntimeException e) {
            log.warn(
                    "emulator failed on {} {}",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    e);
            Responses.json(
                    exchange,
                    500,
                    Responses.v2Error(new StripeException(500, "api_error", null, null, "Emulator error.")));
        }
    }

    private byte[] process(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        faults.apply(method, path);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String route = method + " " + path;
        if (route.equals("POST /v2/billing/meter_event_session")) {
            ApiKeys.check(authorization);
            return StripeJson.bytes(emu.write(streams::createSession));
        }
        if (route.equals("POST /v2/billing/meter_event_stream")) {
            emu.read(() -> streams.authenticate(authorization));
            List<MeterEventStreams.StreamEvent> events = MeterEventStreams.parse(body(exchange));
            emu.write(() -> streams.record(events));
            return EMPTY_OBJECT;
        }
        throw new StripeException(
                404, "invalid_request_error", "not_found", null, "Unrecognized request URL (" + route + ").");
    }

    private static ObjectNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        try {
            return StripeJson.parse(bytes);
        } catch (JacksonException | ClassCastException e) {
            throw StripeException.invalid(null, "The request body must be a JSON object.");
        }
    }

    /** v2 names the rate-limit type {@code rate_limit}; stripe-java maps it to RateLimitException. */
    private static StripeException v2(StripeException e) {
        if (e.status() == 429) {
            return new StripeException(429, "rate_limit", "rate_limit", null, e.getMessage());
        }
        return e;
    }
}
