package com.anythingagents.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.SseStream;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.config.PriceMap;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeFixtures;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.security.TokenMinter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code make test-stripe}: every recorded fixture, signed by stripe-java, through the real endpoint; the service's
 * own worker stores and processes them; rows, statuses and local state are what the story says; and a live-stream
 * client of each fixture tenant receives exactly the frames its tenant's events produced.
 */
@BillingServiceTest
class StripeFixtureReplayTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<String> CUSTOMERS =
            List.of("cus_AcmeP4nT7vQx2L", "cus_GlobexW3kR9pZm", "cus_UnknownQ9zX4bT");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ServiceSettings settings;

    List<Path> fixtures;

    List<String> eventIds;

    PriceMap prices;

    @BeforeEach
    void setUp() {
        prices = settings.stripe().orElseThrow().prices();
        fixtures = StripeFixtures.all();
        eventIds =
                fixtures.stream().map(f -> StripeFixtures.load(f, prices).id()).toList();
        clean();
    }

    @AfterEach
    void clean() {
        // the database is shared with every other test class (FixtureReplayTests uses the same story)
        jdbc.sql("delete from stripe_events where stripe_event_id in (:ids)")
                .param("ids", eventIds)
                .update();
        jdbc.sql("delete from billing_activity where stripe_event_id in (:ids)")
                .param("ids", eventIds)
                .update();
        for (String table :
                List.of("billing_subscriptions", "billing_invoices", "billing_charges", "billing_customers")) {
            jdbc.sql("delete from " + table + " where stripe_customer_id in (:customers)")
                    .param("customers", CUSTOMERS)
                    .update();
        }
    }

    @Test
    void everyFixtureIsStoredOnceProcessedAndAppliedToLocalState() {
        List<String> statuses = deliverAll();

        assertThat(statuses).hasSize(fixtures.size()).allMatch(status -> status.equals("received"));
        awaitAllProcessed();
        assertThat(jdbc.sql("select count(*) from stripe_events where stripe_event_id in (:ids) and last_error is null")
                        .param("ids", eventIds)
                        .query(Long.class)
                        .single())
                .isEqualTo(fixtures.size());
        assertThat(tenantOf("evt_1TGdhLCzYgrmuou0CaIz3yhV")).isEmpty();
        assertThat(tenantOf(eventIds.get(0))).contains("acme"); // the unknown customer's charge
        assertThat(jdbc.sql("select plan_code, status from billing_subscriptions where tenant_id = 'acme'")
                        .query()
                        .singleRow())
                .containsEntry("plan_code", "pro")
                .containsEntry("status", "active");
        assertThat(jdbc.sql("select status from billing_subscriptions where tenant_id = 'globex'")
                        .query(String.class)
                        .single())
                .isEqualTo("canceled");
        assertThat(jdbc.sql("select status, amount_paid from billing_invoices "
                                + "where stripe_invoice_id = 'in_1TAcmeUpgrade1Cs9Vf2'")
                        .query()
                        .singleRow())
                .containsEntry("status", "paid")
                .containsEntry("amount_paid", 3563L);
        assertThat(jdbc.sql(
                                "select amount_refunded from billing_charges where stripe_charge_id = 'ch_3TAcmeCycle01Pay0Rk2Ws'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1000L);
    }

    @Test
    void redeliveringEveryFixtureIsDuplicateAndChangesNothing() {
        deliverAll();
        awaitAllProcessed();
        Map<String, Object> before = state();

        List<String> statuses = deliverAll();

        assertThat(statuses).allMatch(status -> status.equals("duplicate"));
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void tenantLedgerShowsExactlyTheTenantsOwnEvents() {
        deliverAll();
        awaitAllProcessed();
        String token = token("globex", Role.MEMBER);
        // globex's events are those of its customer (linked by its customer.created metadata)
        List<String> globex = fixtures.stream()
                .map(f -> StripeFixtures.load(f, prices))
                .filter(e -> e.customerId().filter("cus_GlobexW3kR9pZm"::equals).isPresent())
                .map(StripeEvent::id)
                .toList();

        JsonNode events = new HttpProbe(port)
                .get("/api/v1/billing/events?limit=200", token)
                .json()
                .get("events");

        assertThat(globex).hasSize(15);
        assertThat(events.valueStream().map(e -> e.get("tenant_id").asString())).containsOnly("globex");
        assertThat(events.valueStream().map(e -> e.get("event_id").asString()).filter(eventIds::contains))
                .containsExactlyInAnyOrderElementsOf(globex);
    }

    @Test
    void eachTenantsLiveStreamReceivesExactlyTheFramesItsEventsProduced() {
        Map<String, SseStream> streams = new LinkedHashMap<>();
        try {
            for (String tenant : List.of("acme", "globex")) {
                streams.put(tenant, SseStream.open(port, token(tenant, Role.VIEWER)));
            }
            streams.values().forEach(SseStream::awaitReady);

            deliverAll();
            awaitAllProcessed();

            streams.forEach((tenant, stream) -> {
                List<Map<String, Object>> produced = jdbc.sql("select seq, event_type, stripe_event_id, occurred_at"
                                + " from billing_activity where tenant_id = :tenant and stripe_event_id in (:ids)"
                                + " order by seq")
                        .param("tenant", tenant)
                        .param("ids", eventIds)
                        .query()
                        .listOfRows();
                assertThat(produced).as(tenant).hasSizeGreaterThan(3);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> fixtureFrames(stream).size() >= produced.size());
                List<SseStream.Frame> frames = fixtureFrames(stream);
                assertThat(frames)
                        .as(tenant)
                        .extracting(f -> List.<Object>of(
                                f.seq(),
                                f.event(),
                                json(f).get("stripe_event_id").asString()))
                        .containsExactlyElementsOf(produced.stream()
                                .map(row -> List.<Object>of(
                                        row.get("seq"), row.get("event_type"), row.get("stripe_event_id")))
                                .toList());
                assertThat(frames)
                        .extracting(
                                f -> Instant.parse(json(f).get("occurred_at").asString()))
                        .containsExactlyElementsOf(produced.stream()
                                .map(row -> ((java.sql.Timestamp) row.get("occurred_at")).toInstant())
                                .toList());
                // never another tenant's frame, fixture or not, and ids only ever go up
                assertThat(stream.activity())
                        .allMatch(f -> tenant.equals(json(f).get("tenant_id").asString()));
                assertThat(stream.activityIds()).isSorted().doesNotHaveDuplicates();
            });
        } finally {
            streams.values().forEach(SseStream::close);
        }
    }

    private List<SseStream.Frame> fixtureFrames(SseStream stream) {
        return stream.activity().stream()
                .filter(f -> json(f).hasNonNull("stripe_event_id")
                        && eventIds.contains(json(f).get("stripe_event_id").asString()))
                .toList();
    }

    private static JsonNode json(SseStream.Frame frame) {
        return JSON.readTree(frame.data());
    }

    private static String token(String tenant, Role role) {
        return new TokenMinter(TestStripe.JWT_SECRET, Optional.empty(), Optional.empty(), Clock.systemUTC())
                .mint("user-1", tenant, List.of(role), Duration.ofMinutes(5));
    }

    private List<String> deliverAll() {
        return fixtures.stream()
                .map(file -> {
                    HttpResponse<String> response = SignedDelivery.postSigned(
                            port,
                            settings.stripe().orElseThrow().webhookSecrets().get(0),
                            Instant.now(),
                            StripeFixtures.text(file, prices));
                    assertThat(response.statusCode())
                            .as(file.getFileName().toString())
                            .isEqualTo(200);
                    return response.body().replaceAll(".*\"status\"\\s*:\\s*\"([a-z]+)\".*", "$1");
                })
                .toList();
    }

    private void awaitAllProcessed() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> jdbc.sql("select count(*) from stripe_events where stripe_event_id in (:ids) "
                                        + "and status = 'processed'")
                                .param("ids", eventIds)
                                .query(Long.class)
                                .single()
                        == fixtures.size());
    }

    private Optional<String> tenantOf(String eventId) {
        return jdbc.sql("select tenant_id from stripe_events where stripe_event_id = ?")
                .param(eventId)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1)))
                .single();
    }

    private Map<String, Object> state() {
        return Map.of(
                "events",
                jdbc.sql("select stripe_event_id, status, attempts, tenant_id from stripe_events "
                                + "where stripe_event_id in (:ids) order by stripe_event_id")
                        .param("ids", eventIds)
                        .query()
                        .listOfRows(),
                "subscriptions",
                jdbc.sql("select tenant_id, status, plan_code, quantity from billing_subscriptions "
                                + "where stripe_customer_id in (:customers) order by tenant_id")
                        .param("customers", CUSTOMERS)
                        .query()
                        .listOfRows(),
                "invoices",
                jdbc.sql("select stripe_invoice_id, status, amount_paid from billing_invoices "
                                + "where stripe_customer_id in (:customers) order by stripe_invoice_id")
                        .param("customers", CUSTOMERS)
                        .query()
                        .listOfRows(),
                "activity",
                jdbc.sql("select count(*) from billing_activity where stripe_event_id in (:ids)")
                        .param("ids", eventIds)
                        .query(Long.class)
                        .single());
    }
}
