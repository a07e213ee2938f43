package com.anythingagents.stripe.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Writing responses on the JDK server, and Stripe's error bodies (v1 and v2). */
public final class Responses {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Responses() {}

    public static void send(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static void json(HttpExchange exchange, int status, byte[] body) throws IOException {
        send(exchange, status, body, "application/json");
    }

    public static void html(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    /** A 303 to {@code location}, the answer to a form POST that browsers follow with a GET. */
    public static void seeOther(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    /** {@code {"error":{"type","code","message","param","request_log_url"}}}, as Stripe sends it. */
    public static byte[] error(StripeException e, String requestId) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        if (e.code() != null) {
            error.put("code", e.code());
            error.put(
                    "doc_url", "https://stripe.com/docs/error-codes/" + e.code().replace('_', '-'));
        }
        if (e.declineCode() != null) {
            error.put("decline_code", e.declineCode());
        }
        error.put("message", e.getMessage());
        if (e.param() != null) {
            error.put("param", e.param());
        }
        error.put("request_log_url", "https://dashboard.stripe.com/test/logs/" + requestId);
        error.put("type", e.type());
        return MAPPER.writeValueAsBytes(root);
    }

    /** The v2 API's error body: {@code {"error":{"type","code","message"}}}. */
    public static byte[] v2Error(StripeException e) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("type", e.type());
        if (e.code() != null) {
            error.put("code", e.code());
        }
        error.put("message", e.getMessage());
        return MAPPER.writeValueAsBytes(root);
    }

    public static String readBody(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }
}
