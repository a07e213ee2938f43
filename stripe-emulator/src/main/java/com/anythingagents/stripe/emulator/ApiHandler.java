package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.FormDecoder;
import com.anythingagents.stripe.emulator.http.Responses;
import com.anythingagents.stripe.emulator.http.StripeException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Serves {@code /v1/*} in Stripe's wire format: faults, auth, idempotency, routing, expansion. */
final class ApiHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final Emulation emu;
    private final Router router;
    private final Faults faults;
    private final Idempotency idempotency;
    private final Expander expander;

    ApiHandler(Emulation emu, Router router, Faults faults, Idempotency idempotency) {
        this.emu = emu;
        this.router = router;
        this.faults = faults;
        this.idempotency = idempotency;
        this.expander = new Expander(emu.store());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = "req_" + Ids.random(14);
        exchange.getResponseHeaders().set("Request-Id", requestId);
        exchange.getResponseHeaders().set("Stripe-Version", Events.API_VERSION);
        try {
            Result result = process(exchange, requestId);
            if (result.replayed()) {
                exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
            }
            Responses.json(exchange, result.status(), result.body());
        } catch (StripeException e) {
            Responses.json(exchange, e.status(), Responses.error(e, requestId));
        } catch (RuntimeException e) {
            log.warn(
                    "emulator failed on {} {}",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    e);
            StripeException apiError =
                    new StripeException(500, "api_error", null, null, "Emulator error: " + e.getMessage());
            Responses.json(exchange, 500, Responses.error(apiError, requestId));
        }
    }

    private record Result(int status, byte[] body, boolean replayed) {}

    private Result process(HttpExchange exchange, String requestId) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        faults.apply(method, path);
        ApiKeys.check(exchange.getRequestHeaders().getFirst("Authorization"));
        ObjectNode params = FormDecoder.decode(exchange.getRequestURI().getRawQuery());
        if ("POST".equals(method)) {
            params.setAll(FormDecoder.decode(Responses.readBody(exchange)));
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Router.Match match = router.match(method, path)
                .orElseThrow(() -> new StripeException(
                        404,
                        "invalid_request_error",
                        null,
                        null,
                        "Unrecognized request URL (" + method + ": " + path + ")."));
        ApiRequest request = new ApiRequest(method, path, match.pathParams(), params, requestId, key);
        return "GET".equals(method)
                ? emu.read(() -> execute(match, request))
                : emu.write(() -> execute(match, request));
    }

    private Result execute(Router.Match match, ApiRequest request) {
        boolean mutation = !"GET".equals(request.method());
        String key = mutation ? request.idempotencyKey() : null;
        String fingerprint =
                key == null ? null : Idempotency.fingerprint(request.method(), request.path(), request.params());
        if (key != null) {
            Optional<Idempotency.Saved> saved = idempotency.replay(key, fingerprint);
            if (saved.isPresent()) {
                return new Result(saved.get().status(), saved.get().body(), true);
            }
        }
        emu.events().beginRequest(request.requestId(), key);
        int status = 200;
        byte[] body;
        try {
            JsonNode response = match.handler().handle(request);
            body = StripeJson.bytes(expander.expand(response, request.list("expand")));
        } catch (StripeException e) {
            // Stripe saves 4xx outcomes under the key too, so a retry sees the same error
            status = e.status();
            body = Responses.error(e, request.requestId());
        } finally {
            emu.events().endRequest();
        }
        if (key != null) {
            idempotency.save(key, fingerprint, status, body);
        }
        return new Result(status, body, false);
    }
}
