package com.anythingagents.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.ProbeHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The webhook against the running service: real HTTP, real Postgres, the background worker on. */
@BillingServiceTest
class WebhookIntakeTests {

    @LocalServerPort
    int port;

    @Autowired
    ServiceSettings settings;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ProbeHandler probe;

    @Autowired
    MeterRegistry meters;

    @AfterEach
    void deleteTestEvents() {
        // the database is shared with every other test class
        jdbc.sql("delete from stripe_events where stripe_event_id like 'evt_test_%' and status = 'processed'")
                .update();
    }

    @Test
    void concurrentDeliveriesOfOneEventStoreOneRowAndHaveOneEffect() throws Exception {
        String id = SignedDelivery.newEventId();
        String json = SignedDelivery.event(id, ProbeHandler.TYPE, "acme", false, Instant.now());
        int deliveries = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(deliveries);
        try {
            List<CompletableFuture<HttpResponse<String>>> responses = java.util.stream.IntStream.range(0, deliveries)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> {
                                awaitQuietly(start);
                                return SignedDelivery.postSigned(port, secret(), Instant.now(), json);
                            },
                            pool))
                    .toList();
            start.countDown();
            List<HttpResponse<String>> done =
                    responses.stream().map(CompletableFuture::join).toList();
            assertThat(done).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(done.stream().filter(r -> r.body().contains("\"received\"")))
                    .hasSize(1);
            assertThat(done.stream().filter(r -> r.body().contains("\"duplicate\"")))
                    .hasSize(deliveries - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows(id)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "processed".equals(status(id)));
        assertThat(probe.invocations(id)).isEqualTo(1);
    }

    @Test
    void storesEventsWithoutHandlerAndMarksThemProcessed() {
        String id = SignedDelivery.newEventId();
        HttpResponse<String> response = SignedDelivery.postSigned(
                port,
                secret(),
                Instant.now(),
                SignedDelivery.event(id, "test.nobody_handles_this", "acme", false, Instant.now()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"received\"");
        await().atMost(Duration.ofSeconds(20)).until(() -> "processed".equals(status(id)));
        assertThat(jdbc.sql("select payload->>'type' from stripe_events where stripe_event_id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("test.nobody_handles_this");
    }

    @Test
    void webhookRouteHasNoPerRequestHttpTimerButItsOwnCounter() {
        String id = SignedDelivery.newEventId();
        SignedDelivery.postSigned(
                port,
                secret(),
                Instant.now(),
                SignedDelivery.event(id, ProbeHandler.TYPE, "acme", false, Instant.now()));
        assertThat(meters.find("http.server.requests")
                        .tag("uri", "/webhooks/stripe")
                        .meters())
                .isEmpty();
        assertThat(meters.find("stripe.webhook.events")
                        .tag("event_type", ProbeHandler.TYPE)
                        .counter())
                .isNotNull();
    }

    @Test
    void rejectsEventWithBadSignatureAndStoresNothing() {
        String id = SignedDelivery.newEventId();
        HttpResponse<String> response =
                SignedDelivery.postSigned(port, "whsec_not_the_configured_secret", Instant.now(), probeEvent(id));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid_signature");
        assertThat(rows(id)).isZero();
    }

    @Test
    void rejectsEventWithoutSignatureHeader() {
        String id = SignedDelivery.newEventId();
        HttpResponse<String> response =
                SignedDelivery.post(port, probeEvent(id).getBytes(StandardCharsets.UTF_8), null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("missing_signature");
        assertThat(rows(id)).isZero();
    }

    @Test
    void rejectsStaleAndFutureTimestamps() {
        String id = SignedDelivery.newEventId();
        Duration beyondTolerance = Duration.ofSeconds(301);
        HttpResponse<String> stale =
                SignedDelivery.postSigned(port, secret(), Instant.now().minus(beyondTolerance), probeEvent(id));
        HttpResponse<String> future =
                SignedDelivery.postSigned(port, secret(), Instant.now().plus(beyondTolerance), probeEvent(id));
        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(stale.body()).contains("old");
        assertThat(future.statusCode()).isEqualTo(400);
        assertThat(future.body()).contains("in the future");
        assertThat(rows(id)).isZero();
    }

    @Test
    void rejectsBodyOverOneMebibyteWith413() {
        String id = SignedDelivery.newEventId();
        String padding = "x".repeat(WebhookServlet.MAX_BODY_BYTES);
        String json =
                probeEvent(id).replace("\"pending_webhooks\":1", "\"pending_webhooks\":1,\"pad\":\"" + padding + "\"");
        HttpResponse<String> response = SignedDelivery.postSigned(port, secret(), Instant.now(), json);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(rows(id)).isZero();
    }

    @Test
    void rejectsLiveModeEventInTestModeService() {
        String id = SignedDelivery.newEventId();
        HttpResponse<String> response = SignedDelivery.postSigned(
                port,
                secret(),
                Instant.now(),
                SignedDelivery.event(id, ProbeHandler.TYPE, "acme", true, Instant.now()));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("livemode_mismatch").contains("live-mode event");
        assertThat(rows(id)).isZero();
    }

    @Test
    void rejectsSignedBodiesThatAreNotEvents() {
        HttpResponse<String> notJson = SignedDelivery.postSigned(port, secret(), Instant.now(), "not json {");
        HttpResponse<String> notEvent =
                SignedDelivery.postSigned(port, secret(), Instant.now(), "{\"object\":\"customer\",\"id\":\"cus_1\"}");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("malformed_event");
        assertThat(notEvent.statusCode()).isEqualTo(400);
        assertThat(notEvent.body()).contains("malformed_event");
    }

    private String probeEvent(String id) {
        return SignedDelivery.event(id, ProbeHandler.TYPE, "acme", false, Instant.now());
    }

    private String secret() {
        return settings.stripe().orElseThrow().webhookSecrets().get(0);
    }

    private long rows(String id) {
        return jdbc.sql("select count(*) from stripe_events where stripe_event_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    private String status(String id) {
        return jdbc.sql("select status from stripe_events where stripe_event_id = ?")
                .param(id)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
