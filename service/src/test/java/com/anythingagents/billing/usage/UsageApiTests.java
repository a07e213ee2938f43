package com.anythingagents.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.billing.MeterUsage;
import com.anythingagents.billing.security.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** POST /usage through the outbox to the emulator's meter, and what the tenant then reads and pays. */
@BillingServiceTest
class UsageApiTests {

    static final Duration DELIVERY = Duration.ofSeconds(60);

    /** The emulator's metered price: 2 cents a run; starter is $29.00 a month. */
    static final long CENTS_PER_RUN = 2;

    static final long STARTER = 2900;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    BillingApi api;

    EmulatorControl emulator;

    String tenant;

    String owner;

    String customer;

    @BeforeEach
    void startAPlan() {
        api = new BillingApi(port);
        emulator = EmulatorControl.local();
        tenant = "t_" + UUID.randomUUID();
        owner = BillingApi.token(tenant, Role.OWNER);
        Response started = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        customer =
                started.json().path("subscription").path("stripe_customer_id").asString();
        await().atMost(DELIVERY)
                .until(() -> "active"
                        .equals(api.get("/api/v1/billing/subscription", owner)
                                .json()
                                .path("subscription")
                                .path("status")
                                .asString(null)));
    }

    @Test
    void threeReportsWithOneRepeatedKeyAreTwoMeterEventsAndTheNextInvoiceBillsTheirSum() {
        Response first = report("{\"feature_key\":\"agent_runs\",\"quantity\":3,\"idempotency_key\":\"run-1\"}");
        Response second = report("{\"feature_key\":\"agent_runs\",\"quantity\":4,\"idempotency_key\":\"run-2\"}");
        Response repeat = report("{\"feature_key\":\"agent_runs\",\"quantity\":3,\"idempotency_key\":\"run-1\"}");

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.json().path("usage_id").asString())
                .isEqualTo(first.json().path("usage_id").asString());
        assertThat(first.json().path("idempotency_key").asString()).isEqualTo("run-1");
        await().atMost(DELIVERY).until(() -> reported() == 7);
        assertThat(report("{\"feature_key\":\"agent_runs\",\"quantity\":3,\"idempotency_key\":\"run-1\"}")
                        .json()
                        .path("status")
                        .asString())
                .isEqualTo("reported");
        assertThat(meterTotal()).isEqualTo(7);

        emulator.advanceClock(Duration.ofDays(31)); // the period closes: its invoice bills the usage

        await().atMost(DELIVERY)
                .untilAsserted(() -> assertThat(api.get("/api/v1/billing/invoices", owner)
                                .json()
                                .path("invoices")
                                .valueStream()
                                .map(i -> i.path("total").asLong()))
                        .contains(STARTER + 7 * CENTS_PER_RUN));
    }

    @Test
    void usageAfterStripesClockMovedAheadLandsInTheNewPeriodAndIsBilledAtItsEnd() {
        emulator.advanceClock(Duration.ofDays(31)); // a renewal: the subscription's period is Stripe's next month
        await().atMost(DELIVERY)
                .until(() -> api.get("/api/v1/billing/invoices", owner)
                                .json()
                                .path("invoices")
                                .size()
                        == 2);

        assertThat(report("{\"feature_key\":\"agent_runs\",\"quantity\":5}").status())
                .isEqualTo(202);

        await().atMost(DELIVERY).until(() -> reported() == 5); // the current period is Stripe's, and so is the usage
        emulator.advanceClock(Duration.ofDays(31));
        await().atMost(DELIVERY)
                .untilAsserted(() -> assertThat(api.get("/api/v1/billing/invoices", owner)
                                .json()
                                .path("invoices")
                                .valueStream()
                                .map(i -> i.path("total").asLong()))
                        .contains(STARTER + 5 * CENTS_PER_RUN));
    }

    @Test
    void usageIsAcceptedWhileStripeFailsAndDeliveredOnceItRecovers() {
        // two stream calls fail (the SDK retries 5xx twice itself), then one is rate limited
        emulator.fault("POST", "/v2/billing/meter_event_stream", 500, 0, 6);
        emulator.fault("POST", "/v2/billing/meter_event_stream", 429, 0, 1);

        Response a = report("{\"feature_key\":\"agent_runs\",\"quantity\":5,\"idempotency_key\":\"a\"}");
        Response b = report("{\"feature_key\":\"agent_runs\",\"quantity\":6,\"idempotency_key\":\"b\"}");

        assertThat(a.status()).isEqualTo(202);
        assertThat(b.status()).isEqualTo(202);
        await().atMost(DELIVERY).until(() -> reported() == 11);
        assertThat(meterTotal()).isEqualTo(11);
        assertThat(jdbc.sql("select max(attempts) from usage_records where tenant_id = ?")
                        .param(tenant)
                        .query(Integer.class)
                        .single())
                .isGreaterThan(1);
        assertThat(jdbc.sql("select count(*) from billing_activity where tenant_id = ? and event_type = ?")
                        .params(tenant, "usage.reported")
                        .query(Long.class)
                        .single())
                .isPositive();
    }

    @Test
    void totalsOfTheCurrentPeriodByFeatureAndDay() {
        report("{\"feature_key\":\"agent_runs\",\"quantity\":2}");
        report("{\"feature_key\":\"agent_runs\",\"quantity\":9}");
        await().atMost(DELIVERY).until(() -> reported() == 11);

        JsonNode totals = api.get("/api/v1/billing/usage", BillingApi.token(tenant, Role.VIEWER))
                .json();

        JsonNode subscription =
                api.get("/api/v1/billing/subscription", owner).json().path("subscription");
        assertThat(totals.path("period_start").asString())
                .isEqualTo(subscription.path("current_period_start").asString());
        assertThat(totals.path("period_end").asString())
                .isEqualTo(subscription.path("current_period_end").asString());
        JsonNode runs = totals.path("features").get(0);
        assertThat(runs.path("feature_key").asString()).isEqualTo("agent_runs");
        assertThat(runs.path("meter_event_name").asString()).isEqualTo("agent_run");
        assertThat(runs.path("pending").asLong()).isZero();
        assertThat(runs.path("failed").asLong()).isZero();
        JsonNode day = totals.path("daily").get(0);
        assertThat(day.path("feature_key").asString()).isEqualTo("agent_runs");
        assertThat(day.path("day").asString()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(day.path("quantity").asLong()).isEqualTo(11);
    }

    @Test
    void badReportsAreRefusedWithTheReason() {
        Instant stripeNow = emulator.emulator().now();
        assertRefused("{\"feature_key\":\"gpu_hours\",\"quantity\":1}", 400, "unknown_feature");
        assertThat(report("{\"feature_key\":\"gpu_hours\",\"quantity\":1}")
                        .json()
                        .path("details")
                        .path("known_features")
                        .get(0)
                        .asString())
                .isEqualTo("agent_runs");
        for (String quantity : new String[] {"0", "-1", "1.5", "\"3\"", "null", "1000000001"}) {
            assertRefused("{\"feature_key\":\"agent_runs\",\"quantity\":" + quantity + "}", 400, "invalid_quantity");
        }
        assertRefused(
                "{\"feature_key\":\"agent_runs\",\"quantity\":1,\"timestamp\":\""
                        + stripeNow.minus(Duration.ofDays(34).plusHours(1))
                        + "\"}",
                400,
                "invalid_timestamp");
        assertRefused(
                "{\"feature_key\":\"agent_runs\",\"quantity\":1,\"timestamp\":\""
                        + stripeNow.plus(Duration.ofMinutes(10)) + "\"}",
                400,
                "invalid_timestamp");
        assertRefused(
                "{\"feature_key\":\"agent_runs\",\"quantity\":1,\"timestamp\":\"yesterday\"}",
                400,
                "invalid_timestamp");
        assertRefused(
                "{\"feature_key\":\"agent_runs\",\"quantity\":1,\"idempotency_key\":\"" + "k".repeat(256) + "\"}",
                400,
                "invalid_idempotency_key");
        // an empty key is not "no key" (a generated one would bill the retry twice); NUL is no text
        for (String key : new String[] {"", "\\u0000", "a\\nb"}) {
            assertRefused(
                    "{\"feature_key\":\"agent_runs\",\"quantity\":1,\"idempotency_key\":\"" + key + "\"}",
                    400,
                    "invalid_idempotency_key");
        }
        assertRefused("{\"quantity\":1}", 422, "validation_failed");
    }

    @Test
    void theKeyComesFromTheBodyOrTheHeaderOrIsGenerated() {
        Response fromHeader = api.post(
                "/api/v1/billing/usage",
                owner,
                "{\"feature_key\":\"agent_runs\",\"quantity\":1}",
                "Idempotency-Key",
                "header-key");
        Response generated = report("{\"feature_key\":\"agent_runs\",\"quantity\":1}");
        Response differing = api.post(
                "/api/v1/billing/usage",
                owner,
                "{\"feature_key\":\"agent_runs\",\"quantity\":1,\"idempotency_key\":\"x\"}",
                "Idempotency-Key",
                "y");

        assertThat(fromHeader.json().path("idempotency_key").asString()).isEqualTo("header-key");
        assertThat(generated.json().path("idempotency_key").asString()).isNotBlank();
        assertThat(differing.status()).isEqualTo(400);
    }

    @Test
    void theSameKeyForAnotherReportIsAConflict() {
        report("{\"feature_key\":\"agent_runs\",\"quantity\":1,\"idempotency_key\":\"once\"}");

        assertRefused(
                "{\"feature_key\":\"agent_runs\",\"quantity\":2,\"idempotency_key\":\"once\"}",
                409,
                "idempotency_conflict");
    }

    @Test
    void aRetryOfStoredUsageGetsItsStoredAnswerEvenIfItWouldNotPassTheChecksToday() {
        // stored when they were valid: one for a feature since removed from the catalogue, one whose
        // timestamp has since aged past Stripe's window
        Instant aged = emulator.emulator().now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS);
        long retired = stored("retired_feature", 2, emulator.emulator().now(), "gone-1");
        long old = stored("agent_runs", 3, aged, "aged-1");

        Response retiredRetry =
                report("{\"feature_key\":\"retired_feature\",\"quantity\":2,\"idempotency_key\":\"gone-1\"}");
        Response agedRetry = report("{\"feature_key\":\"agent_runs\",\"quantity\":3,\"timestamp\":\"" + aged
                + "\",\"idempotency_key\":\"aged-1\"}");

        assertThat(retiredRetry.status()).as(retiredRetry.body()).isEqualTo(202);
        assertThat(retiredRetry.json().path("usage_id").asString()).isEqualTo(Long.toString(retired));
        assertThat(retiredRetry.json().path("status").asString()).isEqualTo("reported");
        assertThat(agedRetry.status()).as(agedRetry.body()).isEqualTo(202);
        assertThat(agedRetry.json().path("usage_id").asString()).isEqualTo(Long.toString(old));
        // another report under a stored key is still a conflict, even one that would be a 400 on its own
        assertRefused(
                "{\"feature_key\":\"retired_feature\",\"quantity\":5,\"idempotency_key\":\"gone-1\"}",
                409,
                "idempotency_conflict");
        assertRefused(
                "{\"feature_key\":\"agent_runs\",\"quantity\":0,\"idempotency_key\":\"aged-1\"}",
                409,
                "idempotency_conflict");
        assertRefused(
                "{\"feature_key\":\"agent_runs\",\"quantity\":3,\"timestamp\":\"" + aged.minus(Duration.ofDays(1))
                        + "\",\"idempotency_key\":\"aged-1\"}",
                409,
                "idempotency_conflict");
    }

    @Test
    void aTenantWithoutACustomerCannotReportYet() {
        Response response = api.post(
                "/api/v1/billing/usage",
                BillingApi.token("t_" + UUID.randomUUID(), Role.SERVICE),
                "{\"feature_key\":\"agent_runs\",\"quantity\":1}");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.error()).isEqualTo("no_customer");
    }

    @Test
    void serviceTokensReportAndMembersDoNot() {
        assertThat(api.post(
                                "/api/v1/billing/usage",
                                BillingApi.token(tenant, Role.SERVICE),
                                "{\"feature_key\":\"agent_runs\",\"quantity\":1}")
                        .status())
                .isEqualTo(202);
        Response member = api.post(
                "/api/v1/billing/usage",
                BillingApi.token(tenant, Role.MEMBER),
                "{\"feature_key\":\"agent_runs\",\"quantity\":1}");
        assertThat(member.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/billing/usage", BillingApi.token(tenant, Role.SERVICE))
                        .status())
                .isEqualTo(403);
    }

    /** A record stored earlier and reported since, written as the outbox leaves it. */
    private long stored(String feature, long quantity, Instant occurredAt, String key) {
        return jdbc.sql("""
                        insert into usage_records (tenant_id, feature_key, quantity, occurred_at, idempotency_key,
                            stripe_customer_id, meter_event_name, status, attempts, next_attempt_at, reported_at)
                        values (?, ?, ?, ?, ?, ?, 'retired_meter', 'reported', 1, 'infinity', now())
                        returning id""")
                .params(tenant, feature, quantity, occurredAt.atOffset(ZoneOffset.UTC), key, customer)
                .query(Long.class)
                .single();
    }

    private Response report(String json) {
        return api.post("/api/v1/billing/usage", owner, json);
    }

    private void assertRefused(String json, int status, String error) {
        Response response = report(json);
        assertThat(response.status()).as(json + " → " + response.body()).isEqualTo(status);
        assertThat(response.error()).as(json).isEqualTo(error);
    }

    private long reported() {
        return api.get("/api/v1/billing/usage", owner)
                .json()
                .path("features")
                .valueStream()
                .filter(f -> f.path("feature_key").asString().equals("agent_runs"))
                .mapToLong(f -> f.path("reported").asLong())
                .sum();
    }

    private long meterTotal() {
        return MeterUsage.total(emulator.stripe(), emulator.emulator().now(), "agent_run", customer);
    }
}
