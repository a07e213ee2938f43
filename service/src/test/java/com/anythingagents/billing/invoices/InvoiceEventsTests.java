package com.anythingagents.billing.invoices;

import static com.anythingagents.billing.events.TestEvents.event;
import static com.anythingagents.billing.events.TestEvents.object;
import static com.anythingagents.billing.events.TestEvents.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorObjects;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.TestEvents;
import com.anythingagents.billing.events.worker.WorkerStandIn;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.node.ObjectNode;

/** The invoice handler, fed events directly through the worker's applier. */
@BillingServiceTest
class InvoiceEventsTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ServiceSettings settings;

    WorkerStandIn worker;

    String tenant;

    String customer;

    String invoiceId;

    @BeforeEach
    void setUp() {
        worker = WorkerStandIn.from(context);
        tenant = "inv-tests-" + UUID.randomUUID();
        customer = "cus_" + tenant;
        invoiceId = TestEvents.newId("in_");
    }

    @AfterEach
    void cleanUp() {
        jdbc.sql("delete from billing_invoices where tenant_id = ? or stripe_customer_id = ?")
                .params(tenant, customer)
                .update();
        jdbc.sql("delete from billing_charges where stripe_customer_id = ?")
                .param(customer)
                .update();
        jdbc.sql("delete from billing_customers where tenant_id = ?")
                .param(tenant)
                .update();
        jdbc.sql("delete from billing_activity where tenant_id = ?")
                .param(tenant)
                .update();
    }

    @Test
    void paidInvoiceIsStoredWithAmountsStatusPeriodAndSubscription() {
        ObjectNode invoice = invoice();

        List<BillingChange> changes =
                worker.process(event("evt_paid_" + invoiceId, "invoice.paid", at(1_000), invoice));

        assertThat(row())
                .containsEntry("tenant_id", tenant)
                .containsEntry("status", "paid")
                .containsEntry("amount_paid", 2900L)
                .containsEntry("amount_due", 2900L)
                .containsEntry("amount_remaining", 0L)
                .containsEntry("currency", "usd")
                .containsEntry("stripe_subscription_id", "sub_AcmeK8vR2mTq5ZbW")
                .containsEntry("period_start", Instant.ofEpochSecond(1768814082))
                .containsEntry("period_end", Instant.ofEpochSecond(1771492482))
                .containsEntry("source_event_id", "evt_paid_" + invoiceId);
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.summary()).isEqualTo("Invoice " + invoiceId + " paid: $29.00");
            assertThat(c.tenantId()).isEqualTo(tenant);
            assertThat(c.invoiceId()).isEqualTo(invoiceId);
            assertThat(c.amount()).isEqualTo(2900L);
            assertThat(c.billingStatus()).isEqualTo("paid");
        });
    }

    @Test
    void olderEventArrivingLateChangesNothing() {
        ObjectNode invoice = invoice();
        worker.process(event("evt_paid_" + invoiceId, "invoice.paid", at(1_000), invoice));
        invoice.put("status", "open").put("amount_paid", 0).put("amount_remaining", 2900);

        List<BillingChange> late =
                worker.process(event("evt_final_" + invoiceId, "invoice.finalized", at(900), invoice));

        assertThat(late).isEmpty();
        assertThat(row()).containsEntry("status", "paid").containsEntry("amount_paid", 2900L);
    }

    @Test
    void sameEventTwiceIsOneChange() {
        ObjectNode invoice = invoice();
        var paid = event("evt_paid_" + invoiceId, "invoice.paid", at(1_000), invoice);

        assertThat(worker.process(paid)).hasSize(1);
        assertThat(worker.process(paid)).isEmpty();
        assertThat(jdbc.sql("select count(*) from billing_activity where stripe_event_id = ?")
                        .param(paid.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    @Test
    void failedPaymentIsExplainedByTheCustomersFailedChargeOfThatAttempt() {
        ObjectNode charge = object("034_charge.failed.json");
        charge.put("id", TestEvents.newId("ch_")).put("customer", customer);
        worker.process(event("evt_chf_" + invoiceId, "charge.failed", at(1_000), charge));
        ObjectNode invoice =
                invoice().put("status", "open").put("amount_paid", 0).put("amount_remaining", 2900);
        ((ObjectNode) invoice.path("status_transitions")).put("finalized_at", at(990).getEpochSecond());

        List<BillingChange> changes =
                worker.process(event("evt_failed_" + invoiceId, "invoice.payment_failed", at(1_001), invoice));

        assertThat(changes)
                .singleElement()
                .satisfies(c -> assertThat(c.summary())
                        .isEqualTo("Payment failed for invoice " + invoiceId + ": card declined"));
    }

    @Test
    void invoiceOfACustomerWithoutTenantIsStoredWithoutOne() {
        ObjectNode invoice = invoice();
        tenant((ObjectNode) invoice.path("parent").path("subscription_details"), null);

        List<BillingChange> changes =
                worker.process(event("evt_anon_" + invoiceId, "invoice.paid", at(1_000), invoice));

        assertThat(row()).containsEntry("tenant_id", null).containsEntry("status", "paid");
        assertThat(changes)
                .singleElement()
                .satisfies(c -> assertThat(c.tenantId()).isNull());
    }

    @Test
    void tieInEventTimeIsSettledByStripesCurrentInvoiceReadBeforeTheTransaction() {
        String price =
                settings.stripe().orElseThrow().prices().priceFor("starter").orElseThrow();
        EmulatorObjects.Paying paying = EmulatorObjects.payingCustomer(tenant, price);
        customer = paying.customer().path("id").asString();
        ObjectNode truth = paying.invoice();
        invoiceId = truth.path("id").asString();
        ObjectNode wrong = truth.deepCopy().put("status", "open").put("amount_paid", 0);
        worker.process(event("evt_tie1_" + invoiceId, "invoice.finalized", at(5_000), wrong));
        wrong.put("status", "uncollectible");

        worker.process(event("evt_tie2_" + invoiceId, "invoice.marked_uncollectible", at(5_000), wrong));

        assertThat(row())
                .containsEntry("status", truth.path("status").asString())
                .containsEntry("amount_paid", truth.path("amount_paid").asLong())
                .containsEntry("source_event_id", "evt_tie2_" + invoiceId);
        assertThat(truth.path("status").asString()).isEqualTo("paid");
    }

    @Test
    void tieOnAnInvoiceStripeNoLongerKnowsKeepsThePayload() {
        ObjectNode invoice = invoice();
        worker.process(event("evt_g1_" + invoiceId, "invoice.finalized", at(1_000), invoice));
        invoice.put("status", "void");

        worker.process(event("evt_g2_" + invoiceId, "invoice.voided", at(1_000), invoice));

        assertThat(row()).containsEntry("status", "void").containsEntry("source_event_id", "evt_g2_" + invoiceId);
    }

    private ObjectNode invoice() {
        ObjectNode invoice = tenant(object("015_invoice.paid.json"), null);
        invoice.put("id", invoiceId).put("customer", customer);
        tenant((ObjectNode) invoice.path("parent").path("subscription_details"), tenant);
        return invoice;
    }

    private Map<String, Object> row() {
        Map<String, Object> row =
                new LinkedHashMap<>(jdbc.sql("select * from billing_invoices where stripe_invoice_id = ?")
                        .param(invoiceId)
                        .query()
                        .singleRow());
        row.replaceAll((k, v) -> v instanceof java.sql.Timestamp ts
                ? ts.toInstant()
                : v instanceof OffsetDateTime o ? o.toInstant() : v);
        return row;
    }

    private static Instant at(long second) {
        return Instant.ofEpochSecond(1_800_000_000L + second);
    }
}
