package com.anythingagents.billing.stream;

import static com.anythingagents.billing.stream.StreamCluster.meter;
import static com.anythingagents.billing.stream.StreamCluster.record;
import static com.anythingagents.billing.stream.StreamCluster.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.ServiceInstance;
import com.anythingagents.billing.SseStream;
import com.anythingagents.billing.SseStream.Frame;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.activity.BillingActivity;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.ProbeHandler;
import com.anythingagents.billing.events.Replay;
import com.anythingagents.billing.events.worker.EventReplayer;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.webhook.SignedDelivery;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The live stream across two instances, over real HTTP, with Redis as the only path between them. */
class StreamClusterTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static StreamCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new StreamCluster();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> meter(cluster.a, "billing.stream.redis.subscribed") == 1
                        && meter(cluster.b, "billing.stream.redis.subscribed") == 1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static String newTenant() {
        return "stream-" + UUID.randomUUID();
    }

    private static JsonNode data(Frame frame) {
        return JSON.readTree(frame.data());
    }

    private static String customerCreated(String eventId, String tenant) {
        return """
                {"id":"%s","object":"event","api_version":"2026-07-29.dahlia","created":%d,"livemode":false,
                 "pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"customer.created",
                 "data":{"object":{"id":"cus_%s","object":"customer","email":"billing@%s.example",
                   "metadata":{"tenant_id":"%s"}}}}""".formatted(eventId, Instant.now().getEpochSecond(), eventId.substring(4), tenant, tenant);
    }

    private static void deliverToA(String eventId, String tenant) {
        HttpResponse<String> response = SignedDelivery.postSigned(
                cluster.a.port(), TestStripe.WEBHOOK_SECRET, Instant.now(), customerCreated(eventId, tenant));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static String eventStatus(String eventId) {
        return cluster.a
                .bean(JdbcClient.class)
                .sql("select status from stripe_events where stripe_event_id = ?")
                .param(eventId)
                .query(String.class)
                .single();
    }

    @Test
    void clientOnOneInstanceSeesAWebhookProcessedByTheOther() {
        String tenant = newTenant();
        try (SseStream onB = SseStream.open(cluster.b.port(), token(tenant, Role.MEMBER))) {
            onB.awaitReady();
            String eventId = SignedDelivery.newEventId();

            deliverToA(eventId, tenant);

            Frame frame = onB.awaitFrame(Frame::isActivity);
            assertThat(frame.id()).isEqualTo("1");
            assertThat(frame.event()).isEqualTo("customer.created");
            assertThat(data(frame).get("stripe_event_id").asString()).isEqualTo(eventId);
            assertThat(data(frame).get("tenant_id").asString()).isEqualTo(tenant);
            assertThat(data(frame).get("processing_status").asString()).isEqualTo("processed");
            assertThat(data(frame).get("seq").asLong()).isEqualTo(1);
            // B runs no worker: A processed it, and the frame reached B over Redis
            assertThat(eventStatus(eventId)).isEqualTo("processed");
        }
    }

    @Test
    void aFailedEventStreamsItsFailedItemAndAReplayStreamsTheProcessedOneThatReplacesIt() {
        String tenant = newTenant();
        String eventId = SignedDelivery.newEventId();
        cluster.a.bean(ProbeHandler.class).failWith(eventId, "ledger unavailable");
        try (SseStream onB = SseStream.open(cluster.b.port(), token(tenant, Role.MEMBER))) {
            onB.awaitReady();

            HttpResponse<String> response = SignedDelivery.postSigned(
                    cluster.a.port(),
                    TestStripe.WEBHOOK_SECRET,
                    Instant.now(),
                    SignedDelivery.event(eventId, ProbeHandler.TYPE, tenant, false, Instant.now()));
            assertThat(response.statusCode()).isEqualTo(200);

            Frame failed = onB.awaitFrame(Frame::isActivity);
            assertThat(failed.event()).isEqualTo(ProbeHandler.TYPE);
            assertThat(data(failed).get("stripe_event_id").asString()).isEqualTo(eventId);
            assertThat(data(failed).get("processing_status").asString()).isEqualTo("failed");
            assertThat(data(failed).get("summary").asString())
                    .isEqualTo("Processing failed on attempt 1; it will be retried: IllegalStateException: ledger"
                            + " unavailable");
            assertThat(eventStatus(eventId)).isEqualTo("failed");

            cluster.a.bean(ProbeHandler.class).succeed(eventId);
            assertThat(cluster.a.bean(EventReplayer.class).replay(eventId)).isInstanceOf(Replay.Done.class);

            Frame processed = onB.awaitFrame(frame -> frame.isActivity()
                    && "processed".equals(data(frame).get("processing_status").asString()));
            assertThat(data(processed).get("stripe_event_id").asString()).isEqualTo(eventId);
            assertThat(processed.seq()).isGreaterThan(failed.seq());
            assertThat(eventStatus(eventId)).isEqualTo("processed");
            assertThat(cluster.a
                            .bean(JdbcClient.class)
                            .sql("select seq, processing_status from billing_activity where stripe_event_id = ?")
                            .param(eventId)
                            .query()
                            .listOfRows())
                    .as("the failed item was replaced")
                    .containsExactly(Map.of("seq", processed.seq(), "processing_status", "processed"));
        }
    }

    @Test
    void aTenantsStreamCarriesOnlyItsOwnActivityOnTheWire() {
        String acme = newTenant();
        String globex = newTenant();
        try (SseStream acmeOnB = SseStream.open(cluster.b.port(), token(acme, Role.MEMBER));
                SseStream globexOnB = SseStream.open(cluster.b.port(), token(globex, Role.VIEWER));
                SseStream operatorOnA =
                        SseStream.open(cluster.a.port(), token(null, Role.OPERATOR), "tenant=" + globex, null)) {
            List.of(acmeOnB, globexOnB, operatorOnA).forEach(SseStream::awaitReady);

            record(cluster.a, acme, "acme 1");
            record(cluster.b, globex, "globex 1");
            record(cluster.a, acme, "acme 2");
            record(cluster.a, globex, "globex 2");
            record(cluster.b, acme, "acme 3");

            acmeOnB.awaitActivityThrough(3);
            globexOnB.awaitActivityThrough(2);
            operatorOnA.awaitActivityThrough(2);
            assertThat(acmeOnB.activity())
                    .extracting(f -> data(f).get("summary").asString())
                    .containsExactly("acme 1", "acme 2", "acme 3");
            assertThat(globexOnB.activity())
                    .extracting(f -> data(f).get("summary").asString())
                    .containsExactly("globex 1", "globex 2");
            assertThat(operatorOnA.activity())
                    .extracting(f -> data(f).get("summary").asString())
                    .containsExactly("globex 1", "globex 2");
            assertThat(acmeOnB.frames())
                    .noneMatch(f -> f.data() != null && f.data().contains(globex));
            assertThat(globexOnB.frames())
                    .noneMatch(f -> f.data() != null && f.data().contains(acme));
        }
    }

    @Test
    void aMemberCannotStreamAnotherTenantAndAnOperatorMust() {
        String acme = newTenant();
        try (SseStream member =
                        SseStream.open(cluster.a.port(), token(acme, Role.OWNER), "tenant=" + newTenant(), null);
                SseStream operatorWithoutTenant = SseStream.open(cluster.a.port(), token(null, Role.OPERATOR))) {
            assertThat(member.status()).isEqualTo(403);
            assertThat(JSON.readTree(member.errorBody()).get("error").asString())
                    .isEqualTo("forbidden");
            assertThat(operatorWithoutTenant.status()).isEqualTo(403);
        }
    }

    @Test
    void streamStartsWithARetryHintThenTheReadyFrameAndPings() {
        String tenant = newTenant();
        record(cluster.a, tenant, "before");
        try (SseStream stream = SseStream.open(cluster.a.port(), token(tenant, Role.MEMBER))) {
            stream.awaitFrame(frame -> "ping".equals(frame.comment()));

            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            List<Frame> frames = stream.frames();
            assertThat(frames.get(0).retry()).isEqualTo("3000");
            // no Last-Event-ID: it starts at the newest item, and says so
            assertThat(frames.get(1).event()).isEqualTo("ready");
            assertThat(frames.get(1).id()).isEqualTo("1");
            assertThat(data(frames.get(1)).get("seq").asLong()).isEqualTo(1);
            assertThat(stream.activity()).isEmpty();
        }
    }

    @Test
    void lastEventIdReplaysWhatWasMissedThenGoesLive() {
        String tenant = newTenant();
        for (int i = 1; i <= 5; i++) {
            record(cluster.a, tenant, "item " + i);
        }
        try (SseStream stream = SseStream.open(cluster.b.port(), token(tenant, Role.MEMBER), "since=1", "3")) {
            stream.awaitReady();
            record(cluster.a, tenant, "item 6");
            stream.awaitActivityThrough(6);

            // the header wins over ?since= (a reconnecting EventSource keeps its first URL)
            assertThat(stream.activityIds()).containsExactly(4L, 5L, 6L);
            assertThat(stream.frames().stream().filter(f -> "ready".equals(f.event())))
                    .singleElement()
                    .extracting(Frame::id)
                    .isEqualTo("5");
        }
    }

    @Test
    void perTenantCapRefusesOneStreamTooManyWith429AndFreesTheSlotWhenOneCloses() {
        String tenant = newTenant();
        String token = token(tenant, Role.MEMBER);
        List<SseStream> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < StreamCluster.MAX_CLIENTS_PER_TENANT; i++) {
                SseStream stream = SseStream.open(cluster.a.port(), token);
                open.add(stream);
                stream.awaitReady();
            }
            try (SseStream refused = SseStream.open(cluster.a.port(), token)) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.header("Retry-After")).isEqualTo("3");
                JsonNode body = JSON.readTree(refused.errorBody());
                assertThat(body.get("error").asString()).isEqualTo("too_many_streams");
                assertThat(body.get("details").get("limit").asInt()).isEqualTo(StreamCluster.MAX_CLIENTS_PER_TENANT);
            }
            try (SseStream otherInstance = SseStream.open(cluster.b.port(), token)) {
                assertThat(otherInstance.status()).isEqualTo(200); // the cap is per instance
            }

            open.remove(0).close();

            // the server notices the closed connection at its next write (a ping, every second here)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                SseStream again = SseStream.open(cluster.a.port(), token);
                if (again.status() != 200) {
                    again.close();
                }
                assertThat(again.status()).isEqualTo(200);
                open.add(again);
            });
        } finally {
            open.forEach(SseStream::close);
        }
    }

    @Test
    void clientsThatDisconnectRightAwayLeaveNoSubscriberBehind() throws Exception {
        String tenant = newTenant();
        String token = token(tenant, Role.MEMBER);
        // gone before the answer, and gone right after its headers (while the stream is attached)
        for (int i = 0; i < StreamCluster.MAX_CLIENTS_PER_TENANT * 2; i++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", cluster.a.port())) {
                socket.getOutputStream()
                        .write(("GET /api/v1/billing/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream"
                                        + "\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                if (i % 2 == 1) {
                    assertThat(new String(
                                    socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII))
                            .isEqualTo("HTTP/1.1 200");
                }
            }
        }

        // every slot comes back (the server notices each closed connection at its next write, a ping
        // every second here): a leaked subscriber would keep its slot, and the tenant's cap would refuse
        List<SseStream> open = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                SseStream stream = SseStream.open(cluster.a.port(), token);
                if (stream.status() != 200) {
                    stream.close();
                }
                assertThat(stream.status()).isEqualTo(200);
                open.add(stream);
                assertThat(open).hasSize(StreamCluster.MAX_CLIENTS_PER_TENANT);
            });
            for (SseStream stream : open) {
                stream.awaitReady(); // and each gets its frames: the retry hint, then ready
            }
        } finally {
            open.forEach(SseStream::close);
        }
    }

    @Test
    void instanceCapRefusesOneStreamTooManyWith429WhileWebhooksStillAnswer() {
        List<SseStream> open = new ArrayList<>();
        try {
            // two tenants' full share each; slots of earlier tests' closed streams free within a ping
            for (int i = 0; i < StreamCluster.MAX_CLIENTS_ON_B; i++) {
                String token = token("cap-" + (i / StreamCluster.MAX_CLIENTS_PER_TENANT), Role.MEMBER);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    SseStream stream = SseStream.open(cluster.b.port(), token);
                    if (stream.status() != 200) {
                        stream.close();
                    }
                    assertThat(stream.status()).isEqualTo(200);
                    open.add(stream);
                });
            }

            try (SseStream refused = SseStream.open(cluster.b.port(), token(newTenant(), Role.MEMBER))) {
                assertThat(refused.status()).isEqualTo(429);
                JsonNode body = JSON.readTree(refused.errorBody());
                assertThat(body.get("error").asString()).isEqualTo("too_many_streams");
                assertThat(body.get("message").asString()).contains("This instance");
                assertThat(body.get("details").get("limit").asInt()).isEqualTo(StreamCluster.MAX_CLIENTS_ON_B);
            }
            HttpResponse<String> webhook = SignedDelivery.postSigned(
                    cluster.b.port(),
                    TestStripe.WEBHOOK_SECRET,
                    Instant.now(),
                    customerCreated(SignedDelivery.newEventId(), newTenant()));
            assertThat(webhook.statusCode()).isEqualTo(200);
        } finally {
            open.forEach(SseStream::close);
        }
        // the closed streams give their slots back (at the server's next write): B serves streams again
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (SseStream again = SseStream.open(cluster.b.port(), token(newTenant(), Role.MEMBER))) {
                assertThat(again.status()).isEqualTo(200);
            }
        });
    }

    @Test
    void redisStoppedAndStartedDuringAStreamLosesNothingAndProcessingGoesOn() {
        String tenant = newTenant();
        try (SseStream onB = SseStream.open(cluster.b.port(), token(tenant, Role.MEMBER))) {
            onB.awaitReady();
            record(cluster.a, tenant, "before 1");
            record(cluster.a, tenant, "before 2");
            onB.awaitActivityThrough(2);
            double resubscriptions = meter(cluster.b, "billing.stream.resubscriptions");
            double publishFailures = meter(cluster.a, "billing.stream.publish.failures");

            cluster.stopRedis();
            try {
                await().until(() -> meter(cluster.b, "billing.stream.redis.subscribed") == 0);
                record(cluster.a, tenant, "during 1");
                record(cluster.a, tenant, "during 2");
                String eventId = SignedDelivery.newEventId();
                deliverToA(eventId, tenant);
                await().atMost(Duration.ofSeconds(30)).until(() -> "processed".equals(eventStatus(eventId)));
                assertThat(meter(cluster.a, "billing.stream.publish.failures"))
                        .isGreaterThanOrEqualTo(publishFailures + 3);
                assertThat(onB.activityIds()).containsExactly(1L, 2L);
            } finally {
                cluster.startRedis();
            }

            // B re-subscribes by itself and reads what it missed from Postgres
            onB.awaitActivityThrough(5);
            assertThat(meter(cluster.b, "billing.stream.resubscriptions")).isGreaterThan(resubscriptions);
            // and live frames flow again, once A's publisher has reconnected too
            AtomicLong recorded = new AtomicLong();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (recorded.get() > 0 && onB.activityIds().contains(recorded.get())) {
                            return true;
                        }
                        recorded.set(record(cluster.a, tenant, "after").seq());
                        return false;
                    });
            List<Long> ids = onB.activityIds();
            assertThat(ids)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, recorded.get()).boxed().toList());
            assertThat(onB.activity().get(4).event()).isEqualTo("customer.created");
        }
    }

    @Test
    void clientsResumingUnderConcurrentWritesSeeEveryIdOnceInOrder() throws Exception {
        String tenant = newTenant();
        String token = token(tenant, Role.MEMBER);
        int writers = 4;
        int reconnecting = 3;
        ExecutorService pool = Executors.newFixedThreadPool(writers + reconnecting);
        AtomicLong finalHead = new AtomicLong();
        // two clients stay connected throughout, live while commits land: a later writer's commit
        // must never reach them before an earlier sequence that is still to commit
        List<SseStream> steady = List.of(
                SseStream.open(cluster.a.port(), token, "since=0", null),
                SseStream.open(cluster.b.port(), token, "since=0", null));
        try {
            steady.forEach(SseStream::awaitReady);
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                ServiceInstance instance = w % 2 == 0 ? cluster.a : cluster.b;
                int writer = w;
                writes.add(pool.submit(() -> write(instance, tenant, writer, 30)));
            }
            List<Future<List<Long>>> reads = new ArrayList<>();
            for (int r = 0; r < reconnecting; r++) {
                int reader = r;
                reads.add(pool.submit(() -> readWithReconnects(reader, token, finalHead)));
            }
            for (Future<?> write : writes) {
                write.get(120, TimeUnit.SECONDS);
            }
            List<Long> committed = cluster.a
                    .bean(JdbcClient.class)
                    .sql("select seq from billing_activity where tenant_id = ? order by seq")
                    .param(tenant)
                    .query(Long.class)
                    .list();
            finalHead.set(committed.get(committed.size() - 1));

            for (SseStream stream : steady) {
                stream.awaitActivityThrough(finalHead.get());
                assertThat(stream.activityIds()).containsExactlyElementsOf(committed);
            }
            for (Future<List<Long>> read : reads) {
                assertThat(read.get(120, TimeUnit.SECONDS)).containsExactlyElementsOf(committed);
            }
            // rolled-back transactions gave their sequence to the next writer: no holes either
            assertThat(committed)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, committed.size()).boxed().toList());
        } finally {
            steady.forEach(SseStream::close);
            pool.shutdownNow();
        }
    }

    /** Commits {@code count} items, some holding the tenant's sequence a while, some rolled back. */
    private static void write(ServiceInstance instance, String tenant, int writer, int count) {
        TransactionTemplate transaction = new TransactionTemplate(instance.bean(PlatformTransactionManager.class));
        BillingActivity activity = instance.bean(BillingActivity.class);
        JdbcClient jdbc = instance.bean(JdbcClient.class);
        for (int i = 0; i < count; i++) {
            int item = i;
            try {
                transaction.executeWithoutResult(status -> {
                    activity.record(tenant, "test.tick", BillingChange.of(tenant, "writer " + writer + " #" + item));
                    if (item % 5 == 0) {
                        // with an identity, a writer that started later would commit (and stream) first
                        jdbc.sql("select pg_sleep(0.2)").query().listOfRows();
                    }
                    if (item % 7 == 3) {
                        throw new RolledBack();
                    }
                });
            } catch (RolledBack expected) {
                // nothing of it may ever reach a client
            }
        }
    }

    private static final class RolledBack extends RuntimeException {}

    /**
     * Reads a few frames, disconnects, and reconnects with the last id seen (alternating instances),
     * as a browser on a flaky network would, until it has the final item; returns every activity id
     * received, in order of arrival.
     */
    private static List<Long> readWithReconnects(int reader, String token, AtomicLong finalHead) {
        List<Long> seen = new ArrayList<>();
        String last = null;
        for (int connection = 0; ; connection++) {
            ServiceInstance on = (reader + connection) % 2 == 0 ? cluster.a : cluster.b;
            int wanted = 1 + ThreadLocalRandom.current().nextInt(12);
            String resumeFrom = last;
            // as a browser would: a 429 (the slot of a connection just closed is freed when the server
            // notices, at its next write) is retried after a moment
            SseStream stream = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> resumeFrom == null
                                    ? SseStream.open(on.port(), token, "since=0", null)
                                    : SseStream.open(on.port(), token, "", resumeFrom),
                            opened -> {
                                if (opened.status() == 429) {
                                    opened.close();
                                    return false;
                                }
                                return true;
                            });
            try {
                assertThat(stream.status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> stream.activity().size() >= wanted || reached(stream, resumeFrom, finalHead));
            } finally {
                stream.close();
                await().until(stream::ended);
            }
            seen.addAll(stream.activityIds());
            last = stream.lastEventId() != null ? stream.lastEventId() : last;
            if (reached(stream, last, finalHead)) {
                return seen;
            }
        }
    }

    private static boolean reached(SseStream stream, String previous, AtomicLong finalHead) {
        String last = stream.lastEventId() != null ? stream.lastEventId() : previous;
        return finalHead.get() > 0 && last != null && Long.parseLong(last) >= finalHead.get();
    }
}
