package com.anythingagents.billing.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.config.PriceMap;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.worker.WorkerStandIn;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every recorded fixture, delivered in order through the handlers, ends in the expected local state. */
@BillingServiceTest
class FixtureReplayTests {

    private static final List<String> CUSTOMERS =
            List.of("cus_AcmeP4nT7vQx2L", "cus_GlobexW3kR9pZm", "cus_UnknownQ9zX4bT");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    @Autowired
    List<StripeEventHandler> handlers;

    @Autowired
    ServiceSettings settings;

    WorkerStandIn worker;

    PriceMap prices;

    @BeforeEach
    void setUp() {
        worker = WorkerStandIn.from(context);
        prices = settings.stripe().orElseThrow().prices();
        clean();
    }

    @AfterEach
    void clean() {
        for (String table :
                List.of("billing_subscriptions", "billing_invoices", "billing_charges", "billing_customers")) {
            jdbc.sql("delete from " + table + " where stripe_customer_id in (:customers)")
                    .param("customers", CUSTOMERS)
                    .update();
        }
        jdbc.sql("delete from billing_activity where stripe_event_id in (:ids)")
                .param(
                        "ids",
                        StripeFixtures.all().stream()
                                .map(f -> StripeFixtures.load(f, prices).id())
                                .toList())
                .update();
    }

    @Test
    void replayingEveryFixtureInOrderEndsInTheExpectedState() {
        Map<String, List<BillingChange>> changes = replayAll();

        assertThat(row("select plan_code, status, quantity, current_period_start, current_period_end, "
                        + "stripe_subscription_id from billing_subscriptions where tenant_id = 'acme'"))
                .containsEntry("plan_code", "pro")
                .containsEntry("status", "active")
                .containsEntry("quantity", 1)
                .containsEntry("current_period_start", at(1768814082))
                .containsEntry("current_period_end", at(1771492482))
                .containsEntry("stripe_subscription_id", "sub_AcmeK8vR2mTq5ZbW");
        assertThat(row("select status, plan_code, canceled_at, ended_at from billing_subscriptions "
                        + "where tenant_id = 'globex'"))
                .containsEntry("status", "canceled")
                .containsEntry("plan_code", "starter")
                .containsEntry("ended_at", at(1772877736));
        // other tests may link more customers to these tenants: look at the story's own
        assertThat(row("select tenant_id, deleted, email from billing_customers"
                        + " where stripe_customer_id = 'cus_AcmeP4nT7vQx2L'"))
                .containsEntry("tenant_id", "acme")
                .containsEntry("deleted", false);
        assertThat(
                        row(
                                "select tenant_id, deleted from billing_customers where stripe_customer_id = 'cus_GlobexW3kR9pZm'"))
                .containsEntry("tenant_id", "globex")
                .containsEntry("deleted", true);

        assertThat(changes.get("040_product.created.json")).isEmpty();
        assertThat(changes.get("005_invoice.paid.json"))
                .singleElement()
                .satisfies(c -> assertThat(c.summary()).isEqualTo("Invoice in_1TAcmeTrial0000Zq1Rk7 paid: $0.00"));
        assertThat(changes.get("022_customer.subscription.updated.json"))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.summary())
                            .isEqualTo("Subscription sub_AcmeK8vR2mTq5ZbW is now active on plan pro (qty 1)");
                    assertThat(c.tenantId()).isEqualTo("acme");
                    assertThat(c.planCode()).isEqualTo("pro");
                });
        assertThat(changes.get("035_invoice.payment_failed.json"))
                .singleElement()
                .satisfies(c -> assertThat(c.summary())
                        .isEqualTo("Payment failed for invoice in_1TGlobexCycle02Fw2Nj: card declined"));
    }

    @Test
    void invoicesKeepAmountsStatusAndTheirSubscription() {
        replayAll();

        assertThat(row("select tenant_id, status, amount_due, amount_paid, amount_remaining, total, attempt_count, "
                        + "stripe_subscription_id, period_start, period_end, hosted_invoice_url "
                        + "from billing_invoices where stripe_invoice_id = 'in_1TAcmeUpgrade1Cs9Vf2'"))
                .containsEntry("tenant_id", "acme")
                .containsEntry("status", "paid")
                .containsEntry("amount_due", 3563L)
                .containsEntry("amount_paid", 3563L)
                .containsEntry("amount_remaining", 0L)
                .containsEntry("total", 3563L)
                .containsEntry("attempt_count", 1)
                .containsEntry("stripe_subscription_id", "sub_AcmeK8vR2mTq5ZbW")
                .containsEntry("period_start", at(1770129069))
                .containsEntry("period_end", at(1771492482));
        assertThat(row("select tenant_id, status, stripe_subscription_id, total from billing_invoices "
                        + "where stripe_invoice_id = 'in_1TAcmeManual01Pd6Hs3'"))
                .containsEntry("tenant_id", "acme") // no metadata: found through the customer mapping
                .containsEntry("status", "void")
                .containsEntry("stripe_subscription_id", null)
                .containsEntry("total", 50000L);
        assertThat(row("select tenant_id, status, attempt_count, amount_remaining from billing_invoices "
                        + "where stripe_invoice_id = 'in_1TGlobexCycle02Fw2Nj'"))
                .containsEntry("tenant_id", "globex")
                .containsEntry("status", "uncollectible")
                .containsEntry("attempt_count", 4)
                .containsEntry("amount_remaining", 2900L);
    }

    @Test
    void chargesKeepRefundsAndFailures() {
        replayAll();

        assertThat(row("select tenant_id, status, amount, amount_refunded from billing_charges "
                        + "where stripe_charge_id = 'ch_3TAcmeCycle01Pay0Rk2Ws'"))
                .containsEntry("tenant_id", "acme")
                .containsEntry("status", "succeeded")
                .containsEntry("amount", 2900L)
                .containsEntry("amount_refunded", 1000L);
        assertThat(row("select tenant_id, status, failure_code, failure_message from billing_charges "
                        + "where stripe_charge_id = 'ch_3TGlobexCycle02Fail1Hm'"))
                .containsEntry("tenant_id", "globex")
                .containsEntry("status", "failed")
                .containsEntry("failure_code", "card_declined")
                .containsEntry("failure_message", "Your card has insufficient funds.");
    }

    @Test
    void unresolvedCustomerLeavesNoTenantRows() {
        Map<String, List<BillingChange>> changes = replayAll();

        assertThat(changes.get("039_charge.succeeded.json"))
                .singleElement()
                .satisfies(c -> assertThat(c.tenantId()).isNull());
        assertThat(
                        row(
                                "select tenant_id, amount from billing_charges where stripe_charge_id = 'ch_3TUnknownCust01Mz5Ga'"))
                .containsEntry("tenant_id", null)
                .containsEntry("amount", 4900L);
        assertThat(jdbc.sql("select count(*) from billing_customers where stripe_customer_id = 'cus_UnknownQ9zX4bT'")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql(
                                "select tenant_id from billing_activity where stripe_event_id = 'evt_1TGdhLCzYgrmuou0CaIz3yhV'")
                        .query((rs, n) -> Map.of("tenant", String.valueOf(rs.getString(1))))
                        .list())
                .containsExactly(Map.of("tenant", "null"));
    }

    @Test
    void replayingEverythingAgainChangesNothing() {
        replayAll();
        Map<String, Object> before = state();

        Map<String, List<BillingChange>> second = replayAll();

        // a completed checkout is an occurrence, reported each time; the ledger still holds it once
        second.remove("006_checkout.session.completed.json");
        assertThat(second.values()).allSatisfy(c -> assertThat(c).isEmpty());
        assertThat(state()).isEqualTo(before);
    }

    private Map<String, List<BillingChange>> replayAll() {
        Map<String, List<BillingChange>> changes = new LinkedHashMap<>();
        for (Path file : StripeFixtures.all()) {
            changes.put(file.getFileName().toString(), worker.process(StripeFixtures.load(file, prices)));
        }
        return changes;
    }

    private Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String table :
                List.of("billing_subscriptions", "billing_invoices", "billing_charges", "billing_customers")) {
            state.put(
                    table,
                    jdbc
                            .sql("select * from " + table + " where stripe_customer_id in (:customers) order by 1")
                            .param("customers", CUSTOMERS)
                            .query()
                            .listOfRows()
                            .stream()
                            .map(r -> {
                                Map<String, Object> copy = new LinkedHashMap<>(r);
                                copy.remove("updated_at");
                                return copy;
                            })
                            .toList());
        }
        state.put(
                "activity",
                jdbc.sql("select count(*) from billing_activity where tenant_id in ('acme', 'globex')")
                        .query(Long.class)
                        .single());
        return state;
    }

    private Map<String, Object> row(String sql) {
        Map<String, Object> row = new LinkedHashMap<>(jdbc.sql(sql).query().singleRow());
        row.replaceAll((k, v) -> v instanceof java.sql.Timestamp ts
                ? ts.toInstant()
                : v instanceof OffsetDateTime o ? o.toInstant() : v);
        return row;
    }

    private static Instant at(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds);
    }
}
