package com.anythingagents.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.ManualPipelineConfiguration.FailableDataSource;
import com.anythingagents.billing.ManualPipelineConfiguration.SettableClock;
import com.anythingagents.billing.ManualPipelineTest;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.events.ProbeHandler;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Many deliveries at once, new and redelivered, mixed: each answers for its own event (received
 * once, duplicate otherwise, one row per id), and a database failure is a 503 for every one.
 */
@ManualPipelineTest
class ConcurrentDeliveryTests {

    @LocalServerPort
    int port;

    @Autowired
    SettableClock clock;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void concurrentNewAndDuplicateDeliveriesEachAnswerForTheirOwnEvent() {
        List<String> stored = ids(8);
        stored.forEach(id -> assertThat(deliver(id).statusCode()).isEqualTo(200));
        List<String> fresh = ids(16);
        List<String> deliveries = new ArrayList<>(stored);
        deliveries.addAll(fresh);
        deliveries.addAll(fresh.subList(0, 4)); // four new events arrive twice at once

        List<HttpResponse<String>> responses = deliverConcurrently(deliveries);

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        Map<String, List<String>> answers = new java.util.HashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            answers.computeIfAbsent(deliveries.get(i), id -> new ArrayList<>()).add(status(responses.get(i)));
        }
        stored.forEach(id -> assertThat(answers.get(id)).containsExactly("duplicate"));
        fresh.subList(0, 4)
                .forEach(id -> assertThat(answers.get(id)).containsExactlyInAnyOrder("received", "duplicate"));
        fresh.subList(4, 16).forEach(id -> assertThat(answers.get(id)).containsExactly("received"));
        assertThat(rowsPerId(deliveries))
                .hasSize(24)
                .allSatisfy((id, rows) -> assertThat(rows).isEqualTo(1L));
    }

    /**
     * Concurrent deliveries share one insert (the intake's group commit): an event PostgreSQL
     * refuses as data (a trigger stands in for a value jsonb cannot hold) gets its own 400, and the
     * events that shared its statement are stored and acknowledged all the same.
     */
    @Test
    void anEventThePostgresRefusesFailsAloneAmongConcurrentDeliveries() {
        List<String> ids = ids(16);
        String refused = ids.get(5);
        jdbc.sql("""
                        create function refuse_one_event() returns trigger language plpgsql as $$
                        begin
                            if new.stripe_event_id = '%s' then
                                raise exception 'refused for the test' using errcode = '22023';
                            end if;
                            return new;
                        end $$""".formatted(refused)).update();
        jdbc.sql("create trigger refuse_one_event before insert on stripe_events for each row"
                        + " execute function refuse_one_event()")
                .update();
        List<HttpResponse<String>> responses;
        try {
            responses = deliverConcurrently(ids);
        } finally {
            jdbc.sql("drop trigger refuse_one_event on stripe_events").update();
            jdbc.sql("drop function refuse_one_event()").update();
        }

        for (int i = 0; i < ids.size(); i++) {
            HttpResponse<String> response = responses.get(i);
            if (ids.get(i).equals(refused)) {
                assertThat(response.statusCode()).isEqualTo(400);
                assertThat(response.body()).contains("malformed_event").contains("SQLState 22023");
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(status(response)).isEqualTo("received");
            }
        }
        assertThat(rowsPerId(ids)).hasSize(15).doesNotContainKey(refused);
    }

    @Test
    void databaseDownAnswers503ToEveryConcurrentDelivery() {
        List<String> ids = ids(12);
        FailableDataSource database = (FailableDataSource) dataSource;
        database.down(true);
        List<HttpResponse<String>> responses;
        try {
            responses = deliverConcurrently(ids);
        } finally {
            database.down(false);
        }

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("database_unavailable");
        });
        assertThat(rowsPerId(ids)).isEmpty();
        assertThat(status(deliver(ids.get(0)))).isEqualTo("received");
    }

    private List<HttpResponse<String>> deliverConcurrently(List<String> ids) {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(ids.size());
        try {
            List<CompletableFuture<HttpResponse<String>>> pending = ids.stream()
                    .map(id -> CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    start.await();
                                } catch (InterruptedException ex) {
                                    Thread.currentThread().interrupt();
                                }
                                return deliver(id);
                            },
                            pool))
                    .toList();
            start.countDown();
            return pending.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private HttpResponse<String> deliver(String id) {
        return SignedDelivery.postSigned(
                port,
                TestStripe.WEBHOOK_SECRET,
                clock.instant(),
                SignedDelivery.event(id, ProbeHandler.TYPE, "acme", false, clock.instant()));
    }

    private Map<String, Long> rowsPerId(List<String> ids) {
        return jdbc
                .sql("select stripe_event_id, count(*) from stripe_events where stripe_event_id = any(?)"
                        + " group by stripe_event_id")
                .param(ids.stream().distinct().toArray(String[]::new))
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static List<String> ids(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> SignedDelivery.newEventId())
                .toList();
    }

    private static String status(HttpResponse<String> response) {
        return response.body().contains("\"received\"") ? "received" : "duplicate";
    }
}
