package com.anythingagents.billing.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds and posts webhook deliveries the way Stripe signs them, for tests. */
public final class SignedDelivery {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SignedDelivery() {}

    public static String newEventId() {
        return "evt_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A minimal event of {@code type} whose object carries {@code metadata.tenant_id}. */
    public static String event(String id, String type, String tenant, boolean livemode, Instant created) {
        return """
                {"id":"%s","object":"event","api_version":"2026-07-29.dahlia","created":%d,"livemode":%s,
                 "pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"%s",
                 "data":{"object":{"id":"obj_%s","object":"probe","customer":"cus_%s","metadata":{"tenant_id":"%s"}}}}""".formatted(id, created.getEpochSecond(), livemode, type, id, tenant, tenant);
    }

    public static String header(String secret, Instant at, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((at.getEpochSecond() + ".").getBytes(StandardCharsets.UTF_8));
            return "t=" + at.getEpochSecond() + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static HttpResponse<String> post(int port, byte[] body, String signatureHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/webhooks/stripe"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signatureHeader != null) {
            request.header("Stripe-Signature", signatureHeader);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public static HttpResponse<String> postSigned(int port, String secret, Instant at, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return post(port, body, header(secret, at, body));
    }
}
