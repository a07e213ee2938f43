package com.anythingagents.stripe.emulator;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A local webhook receiver for tests: records every POST and can fail the first N of them. */
final class WebhookReceiver implements AutoCloseable {

    record Received(String payload, String signature, String contentType) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft;

    WebhookReceiver(int failFirst) {
        failuresLeft = new AtomicInteger(failFirst);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/webhooks/stripe", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            if (status == 200) {
                received.add(new Received(
                        body,
                        exchange.getRequestHeaders().getFirst("Stripe-Signature"),
                        exchange.getRequestHeaders().getFirst("Content-Type")));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/stripe";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** What was received, each payload checked against its signature with the endpoint's secret. */
    List<Event> verifiedEvents(String secret) {
        return received().stream()
                .map(r -> {
                    try {
                        return Webhook.constructEvent(r.payload(), r.signature(), secret);
                    } catch (SignatureVerificationException e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
