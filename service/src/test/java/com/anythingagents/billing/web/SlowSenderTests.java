package com.anythingagents.billing.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.security.BodyEchoController;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.security.TokenMinter;
import com.anythingagents.billing.webhook.SignedDelivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Slow or stalled senders cost memory, not request threads: with more connections trickling
 * bodies than Tomcat has threads, health, signed webhooks and the API still answer; a body that
 * stalls is cut off with a 408 after {@link RequestBodies#TIMEOUT}; a body sent in pieces is read
 * whole, through the same filters (the bearer token is still checked) as one sent at once.
 */
@BillingServiceTest
class SlowSenderTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A pause between the pieces of a body: a delay to make the body late, not a synchronization. */
    private static final Duration PAUSE = Duration.ofMillis(300);

    @LocalServerPort
    int port;

    @Autowired
    ServiceSettings settings;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    private static String token() {
        return new TokenMinter(TestStripe.JWT_SECRET, Optional.empty(), Optional.empty(), Clock.systemUTC())
                .mint("user-1", "acme", List.of(Role.OWNER), Duration.ofMinutes(5));
    }

    private String secret() {
        return settings.stripe().orElseThrow().webhookSecrets().get(0);
    }

    private static String event(String id) {
        return SignedDelivery.event(id, "test.slow_sender", "acme", false, Instant.now());
    }

    @Test
    void healthWebhooksAndTheApiAnswerWhileMoreSendersTrickleBodiesThanThereAreThreads() throws Exception {
        HttpProbe http = new HttpProbe(port);
        // first requests of a fresh context initialise things (servlets, pools): not what is measured
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);
        assertThat(echo(List.of("{}"), token()).status()).isEqualTo(200);
        // more trickling bodies than Tomcat has request threads (200): were any thread waiting on
        // one, nothing else would be served until the reads timed out
        try (SlowSenders webhooks = SlowSenders.start(port, "/webhooks/stripe", 400);
                SlowSenders api = SlowSenders.start(port, BodyEchoController.PATH, 100)) {
            String id = SignedDelivery.newEventId();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(http.get("/actuator/health").status()).isEqualTo(200);
                assertThat(SignedDelivery.postSigned(port, secret(), Instant.now(), event(id))
                                .statusCode())
                        .isEqualTo(200);
                assertThat(echo(List.of("{\"plan\":\"pro\"}"), token()).status())
                        .isEqualTo(200);
            });

            assertThat(storedRows(id)).isOne();
            // the attack was in force while they answered: more senders held connections than
            // there are request threads (those the server cut off at 10 s came straight back)
            assertThat(webhooks.open() + api.open()).isGreaterThan(200);
        }
    }

    @Test
    void aStalledBodyIsCutOffWith408InTheEnvelope() {
        double timedOutBefore = timedOutWebhooks();
        try (RawHttp webhook = new RawHttp(port, Duration.ofSeconds(60));
                RawHttp api = new RawHttp(port, Duration.ofSeconds(60))) {
            webhook.send("POST /webhooks/stripe HTTP/1.1\r\nHost: localhost\r\nStripe-Signature: t=1,v1=00\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":");
            api.send("POST " + BodyEchoController.PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{");

            for (RawHttp.Response response : List.of(webhook.response(), api.response())) {
                assertThat(response.status()).isEqualTo(408);
                assertThat(response.head()).containsIgnoringCase("connection: close");
                JsonNode envelope = JSON.readTree(response.body());
                assertThat(envelope.get("error").asString()).isEqualTo("request_timeout");
                assertThat(envelope.get("message").asString()).contains("did not arrive within 10 seconds");
            }
        }
        assertThat(timedOutWebhooks()).isEqualTo(timedOutBefore + 1);
    }

    @Test
    void aWebhookBodySentInPiecesIsStoredAsSent() throws Exception {
        String id = SignedDelivery.newEventId();
        byte[] body = event(id).getBytes(StandardCharsets.UTF_8);
        String header = SignedDelivery.header(secret(), Instant.now(), body);
        int third = body.length / 3;
        try (RawHttp raw = new RawHttp(port, Duration.ofSeconds(30))) {
            raw.send(webhookHead(header, "Content-Length: " + body.length));
            for (int from = 0; from < body.length; from += third) {
                Thread.sleep(PAUSE.toMillis());
                raw.send(Arrays.copyOfRange(body, from, Math.min(body.length, from + third)));
            }

            RawHttp.Response response = raw.response();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":\"received\"}");
        }
        assertThat(jdbc.sql("select payload_raw from stripe_events where stripe_event_id = ?")
                        .param(id)
                        .query(byte[].class)
                        .single())
                .isEqualTo(body);
    }

    @Test
    void aChunkedWebhookBodyIsStoredAsSentAndAnOversizedOneIsRefused() throws Exception {
        String id = SignedDelivery.newEventId();
        byte[] body = event(id).getBytes(StandardCharsets.UTF_8);
        String header = SignedDelivery.header(secret(), Instant.now(), body);
        int half = body.length / 2;
        try (RawHttp raw = new RawHttp(port, Duration.ofSeconds(30))) {
            raw.send(webhookHead(header, "Transfer-Encoding: chunked"));
            raw.send(chunk(Arrays.copyOfRange(body, 0, half)));
            Thread.sleep(PAUSE.toMillis());
            raw.send(chunk(Arrays.copyOfRange(body, half, body.length)));
            raw.send("0\r\n\r\n");

            assertThat(raw.response().status()).isEqualTo(200);
        }
        assertThat(storedRows(id)).isOne();

        try (RawHttp raw = new RawHttp(port, Duration.ofSeconds(30))) {
            raw.send(webhookHead(header, "Transfer-Encoding: chunked"));
            byte[] kib = new byte[1024];
            Arrays.fill(kib, (byte) 'x');
            for (int i = 0; i <= RequestBodies.MAX_BYTES / kib.length; i++) {
                raw.send(chunk(kib));
            }

            RawHttp.Response response = raw.response();

            assertThat(response.status()).isEqualTo(413);
            assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("payload_too_large");
        }
    }

    @Test
    void anApiBodySentInPiecesReachesTheHandlerWholeAndTheTokenIsStillChecked() throws Exception {
        String json = "{\"plan_code\":\"pro\",\"quantity\":3,\"note\":\"" + "é".repeat(20_000) + "\"}";
        List<String> pieces = List.of(json.substring(0, 10), json.substring(10, 15_000), json.substring(15_000));

        RawHttp.Response answered = echo(pieces, token());

        assertThat(answered.status()).isEqualTo(200);
        JsonNode echoed = JSON.readTree(answered.body());
        assertThat(echoed.get("tenant").asString()).isEqualTo("acme");
        byte[] sent = json.getBytes(StandardCharsets.UTF_8);
        assertThat(echoed.get("length").asInt()).isEqualTo(sent.length);
        assertThat(echoed.get("sha256").asString())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(sent)));

        RawHttp.Response anonymous = echo(pieces, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(JSON.readTree(anonymous.body()).get("error").asString()).isEqualTo("unauthorized");
    }

    @Test
    void anApiBodyOverTheLimitIsRefusedWith413() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + BodyEchoController.PATH))
                        .header("Authorization", "Bearer " + token())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[RequestBodies.MAX_BYTES + 1]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("payload_too_large");
    }

    /** POSTs the pieces to the echo route with a pause before each but the first. */
    private RawHttp.Response echo(List<String> pieces, String token) throws InterruptedException {
        byte[] body = String.join("", pieces).getBytes(StandardCharsets.UTF_8);
        try (RawHttp raw = new RawHttp(port, Duration.ofSeconds(30))) {
            raw.send("POST " + BodyEchoController.PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                    + (token != null ? "Authorization: Bearer " + token + "\r\n" : "")
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n");
            for (int i = 0; i < pieces.size(); i++) {
                if (i > 0) {
                    Thread.sleep(PAUSE.toMillis());
                }
                raw.send(pieces.get(i).getBytes(StandardCharsets.UTF_8));
            }
            return raw.response();
        }
    }

    private static String webhookHead(String signature, String framing) {
        return "POST /webhooks/stripe HTTP/1.1\r\nHost: localhost\r\nStripe-Signature: " + signature
                + "\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n";
    }

    private static byte[] chunk(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[size.length + data.length + 2];
        System.arraycopy(size, 0, chunk, 0, size.length);
        System.arraycopy(data, 0, chunk, size.length, data.length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        return chunk;
    }

    private long storedRows(String id) {
        return jdbc.sql("select count(*) from stripe_events where stripe_event_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    private double timedOutWebhooks() {
        Counter counter =
                meters.find("stripe.webhook.events").tag("result", "timed_out").counter();
        return counter == null ? 0 : counter.count();
    }
}
