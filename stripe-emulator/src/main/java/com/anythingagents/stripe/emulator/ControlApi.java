package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.Responses;
import com.anythingagents.stripe.emulator.http.StripeException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /_emulator/*}: JSON in and out, no auth; drives time, faults, declines and triggers. */
final class ControlApi implements HttpHandler {

    private final StripeEmulator emulator;
    private final Faults faults;

    ControlApi(StripeEmulator emulator, Faults faults) {
        this.emulator = emulator;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        try {
            ObjectNode body = StripeJson.parse(exchange.getRequestBody().readAllBytes());
            JsonNode result = route(method, path, body);
            Responses.json(exchange, 200, StripeJson.bytes(result));
        } catch (StripeException e) {
            Responses.json(exchange, e.status(), Responses.error(e, "req_control"));
        } catch (RuntimeException e) {
            Responses.json(
                    exchange,
                    400,
                    Responses.error(StripeException.invalid(null, String.valueOf(e.getMessage())), "req_control"));
        }
    }

    private JsonNode route(String method, String path, ObjectNode body) {
        String route = method + " " + path;
        if (route.equals("POST /_emulator/trigger")) {
            return emulator.trigger(text(body, "type"), text(body, "object_id"));
        }
        if (route.equals("POST /_emulator/clock/advance")) {
            if (body.has("to")) {
                emulator.advanceClockTo(Instant.ofEpochSecond(body.get("to").asLong()));
            } else {
                emulator.advanceClock(Duration.ofSeconds(body.path("seconds").asLong()));
            }
            return clock();
        }
        if (route.equals("GET /_emulator/clock")) {
            return clock();
        }
        if (method.equals("POST") && path.matches("/_emulator/customers/[^/]+/fail_next_payment")) {
            emulator.failNextPayment(
                    path.split("/")[3], body.path("decline_code").asString("card_declined"));
            return ok();
        }
        if (route.equals("POST /_emulator/faults")) {
            faults.add(
                    new Faults.Fault(
                            body.path("method").asString(null),
                            body.path("path_prefix").asString("/v1/"),
                            body.path("status").asInt(0),
                            body.path("latency_ms").asLong(0)),
                    body.path("count").asInt(1));
            return ok();
        }
        if (route.equals("GET /_emulator/deliveries")) {
            return StripeJson.MAPPER.valueToTree(emulator.deliveries());
        }
        if (method.equals("POST") && path.matches("/_emulator/checkout/sessions/[^/]+/pay")) {
            CheckoutCompletion.Payment payment = emulator.payCheckoutSession(
                    path.split("/")[4],
                    text(body, "card"),
                    body.path("email").asString(null),
                    body.path("name").asString(null));
            if (payment.decline().isPresent()) {
                TestCards.Decline d = payment.decline().get();
                throw StripeException.card(d.code(), d.declineCode(), d.message());
            }
            return payment.session();
        }
        if (route.equals("GET /_emulator/meter_event_errors")) {
            var errors = StripeJson.array();
            emulator.meterEventErrors().forEach(errors::add);
            return errors;
        }
        if (route.equals("POST /_emulator/reset")) {
            emulator.reset();
            return ok();
        }
        throw new StripeException(404, "invalid_request_error", null, null, "Unknown control route " + route);
    }

    private ObjectNode clock() {
        ObjectNode now = StripeJson.object();
        now.put("now", emulator.now().getEpochSecond());
        return now;
    }

    private static ObjectNode ok() {
        ObjectNode ok = StripeJson.object();
        ok.put("ok", true);
        return ok;
    }

    private static String text(ObjectNode body, String field) {
        String value = body.path(field).asString("");
        if (value.isEmpty()) {
            throw StripeException.missing(field);
        }
        return value;
    }
}
