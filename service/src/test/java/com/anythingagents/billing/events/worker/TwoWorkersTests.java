package com.anythingagents.billing.events.worker;

import static com.anythingagents.billing.events.TestEvents.object;
import static com.anythingagents.billing.events.TestEvents.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.ManualPipelineConfiguration.SettableClock;
import com.anythingagents.billing.ManualPipelineTest;
import com.anythingagents.billing.events.EventInbox;
import com.anythingagents.billing.events.ReceivedEvent;
import com.anythingagents.billing.events.TestEvents;
import com.anythingagents.billing.events.store.EventQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two worker instances (each with its own id, threads and heartbeat) on one database, as two
 * service instances would run: 5,000 interleaved events of 50 tenants, delivered while both work,
 * end with every event processed once, exactly one activity row each, and every subscription in
 * the state in-order delivery leaves.
 */
@ManualPipelineTest
class TwoWorkersTests {

    private static final int TENANTS = 50;

    private static final int EVENTS_PER_TENANT = 100;

    private static final int SENDERS = 5;

    @Autowired
    EventQueue queue;

    @Autowired
    EventProcessor processor;

    @Autowired
    EventMetrics metrics;

    @Autowired
    EventInbox inbox;

    @Autowired
    SettableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    private final List<String> eventIds = new CopyOnWriteArrayList<>();

    @Test
    void twoWorkersProcessInterleavedEventsOfManyTenantsEachOnceAndInOrder() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            tenants.add("cluster-" + run + "-" + t);
        }
        Instant t0 = clock.instant().minus(Duration.ofDays(1));
        WorkerSettings settings = new WorkerSettings(
                true, 2, 100, Duration.ofSeconds(15), Duration.ofMillis(100), 20, Duration.ofDays(90));
        List<EventWorker> workers = List.of(
                new EventWorker(queue, processor, settings, clock, metrics),
                new EventWorker(queue, processor, settings, clock, metrics));
        workers.forEach(EventWorker::start);
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            // second by second every tenant's subscription changes once; several senders deliver
            // concurrently (each tenant's events in order, tenants interleaved) while both work
            List<Future<?>> sent = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                List<String> mine = tenants.subList(s * TENANTS / SENDERS, (s + 1) * TENANTS / SENDERS);
                Random random = new Random(s);
                sent.add(senders.submit(() -> {
                    List<String> order = new ArrayList<>(mine);
                    for (int k = 0; k < EVENTS_PER_TENANT; k++) {
                        Collections.shuffle(order, random);
                        for (String tenant : order) {
                            deliver(tenant, k, t0);
                        }
                        workers.get(k % 2).wake();
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get(5, TimeUnit.MINUTES);
            }
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> count("select count(*) from stripe_events where stripe_event_id = any(?)"
                                    + " and status = 'processed'")
                            == eventIds.size());
        } finally {
            senders.shutdownNow();
            workers.forEach(EventWorker::stop);
        }

        assertThat(eventIds).hasSize(TENANTS * EVENTS_PER_TENANT);
        assertThat(count("select count(*) from stripe_events where stripe_event_id = any(?) and attempts <> 1"))
                .as("each event claimed once: no retry, no second worker")
                .isZero();
        assertThat(count("select count(*) from billing_activity where stripe_event_id = any(?)"))
                .isEqualTo(eventIds.size());
        assertThat(count("select count(distinct stripe_event_id) from billing_activity where stripe_event_id = any(?)"))
                .isEqualTo(eventIds.size());
        for (String tenant : tenants) {
            assertThat(jdbc.sql(
                                    "select quantity, status, source_event_id from billing_subscriptions where tenant_id = ?")
                            .param(tenant)
                            .query()
                            .singleRow())
                    .as(tenant)
                    .isEqualTo(Map.of(
                            "quantity",
                            EVENTS_PER_TENANT,
                            "status",
                            "active",
                            "source_event_id",
                            eventId(tenant, EVENTS_PER_TENANT - 1)));
        }
    }

    /** The k-th change of a tenant's subscription: quantity k + 1, at second k. */
    private String deliver(String tenant, int k, Instant t0) {
        ObjectNode subscription = tenant(object("011_customer.subscription.updated.json"), tenant);
        subscription.put("id", "sub_" + tenant).put("customer", "cus_" + tenant);
        ((ObjectNode) subscription.path("items").path("data").path(0)).put("quantity", k + 1);
        String id = eventId(tenant, k);
        byte[] body = TestEvents.bytes(id, "customer.subscription.updated", t0.plusSeconds(k), subscription);
        assertThat(inbox.accept(ReceivedEvent.parse(body, json))).isEqualTo(EventInbox.Acceptance.INSERTED);
        eventIds.add(id);
        return id;
    }

    private static String eventId(String tenant, int k) {
        return "evt_" + tenant + "_" + k;
    }

    private long count(String sql) {
        return jdbc.sql(sql)
                .param(eventIds.toArray(String[]::new))
                .query(Long.class)
                .single();
    }
}
