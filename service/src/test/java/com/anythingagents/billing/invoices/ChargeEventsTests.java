package com.anythingagents.billing.invoices;

import static com.anythingagents.billing.events.TestEvents.event;
import static com.anythingagents.billing.events.TestEvents.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorObjects;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.customers.CustomerDirectory;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.TestEvents;
import com.anythingagents.billing.events.worker.WorkerStandIn;
import java.time.Instant;
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

/** The charge handler, fed events directly through the worker's applier. */
@BillingServiceTest
class ChargeEventsTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ServiceSettings settings;

    @Autowired
    CustomerDirectory directory;

    WorkerStandIn worker;

    String tenant;

    String customer;

    String chargeId;

    @BeforeEach
    void setUp() {
        worker = WorkerStandIn.from(context);
        tenant = "charge-tests-" + UUID.randomUUID();
        customer = "cus_" + tenant;
        chargeId = TestEvents.newId("ch_");
    }

    @AfterEach
    void cleanUp() {
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
    void succeededChargeOfALinkedCustomerIsStoredUnderItsTenant() {
        directory.linkCreatedCustomer(tenant, customer, at(0));

        List<BillingChange> changes = worker.process(
                event("evt_ok_" + chargeId, "charge.succeeded", at(1_000), charge("014_charge.succeeded.json")));

        assertThat(row())
                .containsEntry("tenant_id", tenant)
                .containsEntry("status", "succeeded")
                .containsEntry("amount", 2900L)
                .containsEntry("amount_refunded", 0L)
                .containsEntry("currency", "usd");
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.summary()).isEqualTo("Payment of $29.00 succeeded (charge " + chargeId + ")");
            assertThat(c.tenantId()).isEqualTo(tenant);
            assertThat(c.amount()).isEqualTo(2900L);
        });
    }

    @Test
    void partialAndFullRefundsAreToldApart() {
        worker.process(event("evt_ok_" + chargeId, "charge.succeeded", at(1_000), charge("014_charge.succeeded.json")));
        ObjectNode refunded = charge("031_charge.refunded.json");

        List<BillingChange> partial =
                worker.process(event("evt_r1_" + chargeId, "charge.refunded", at(2_000), refunded));
        refunded.put("amount_refunded", 2900).put("refunded", true);
        List<BillingChange> full = worker.process(event("evt_r2_" + chargeId, "charge.refunded", at(3_000), refunded));

        assertThat(partial).singleElement().satisfies(c -> {
            assertThat(c.summary()).isEqualTo("Refunded $10.00 of $29.00 (charge " + chargeId + ")");
            assertThat(c.billingStatus()).isEqualTo("partially_refunded");
            assertThat(c.amount()).isEqualTo(1000L);
        });
        assertThat(full)
                .singleElement()
                .satisfies(c -> assertThat(c.billingStatus()).isEqualTo("refunded"));
        assertThat(row()).containsEntry("amount_refunded", 2900L);
    }

    @Test
    void failedChargeKeepsStripesReason() {
        List<BillingChange> changes = worker.process(
                event("evt_f_" + chargeId, "charge.failed", at(1_000), charge("034_charge.failed.json")));

        assertThat(row())
                .containsEntry("status", "failed")
                .containsEntry("failure_code", "card_declined")
                .containsEntry("failure_message", "Your card has insufficient funds.");
        assertThat(changes)
                .singleElement()
                .satisfies(c -> assertThat(c.summary())
                        .isEqualTo("Payment of $29.00 failed: card declined (Your card has insufficient funds.)"
                                + " (charge " + chargeId + ")"));
    }

    @Test
    void succeededEventArrivingAfterTheRefundChangesNothing() {
        worker.process(event("evt_r_" + chargeId, "charge.refunded", at(2_000), charge("031_charge.refunded.json")));

        List<BillingChange> late = worker.process(
                event("evt_ok_" + chargeId, "charge.succeeded", at(1_000), charge("014_charge.succeeded.json")));

        assertThat(late).isEmpty();
        assertThat(row()).containsEntry("amount_refunded", 1000L);
    }

    @Test
    void tieInEventTimeIsSettledByStripesCurrentCharge() {
        String price =
                settings.stripe().orElseThrow().prices().priceFor("starter").orElseThrow();
        EmulatorObjects.Paying paying = EmulatorObjects.payingCustomer(tenant, price);
        customer = paying.customer().path("id").asString();
        ObjectNode truth = paying.charge();
        chargeId = truth.path("id").asString();
        ObjectNode wrong = truth.deepCopy().put("status", "failed").put("failure_code", "expired_card");
        worker.process(event("evt_t1_" + chargeId, "charge.failed", at(5_000), wrong));

        worker.process(event("evt_t2_" + chargeId, "charge.failed", at(5_000), wrong));

        assertThat(row())
                .containsEntry("status", truth.path("status").asString())
                .containsEntry("failure_code", null)
                .containsEntry("source_event_id", "evt_t2_" + chargeId);
        assertThat(truth.path("status").asString()).isEqualTo("succeeded");
    }

    private ObjectNode charge(String fixture) {
        ObjectNode charge = object(fixture);
        charge.put("id", chargeId).put("customer", customer);
        return charge;
    }

    private Map<String, Object> row() {
        return jdbc.sql("select * from billing_charges where stripe_charge_id = ?")
                .param(chargeId)
                .query()
                .singleRow();
    }

    private static Instant at(long second) {
        return Instant.ofEpochSecond(1_800_000_000L + second);
    }
}
