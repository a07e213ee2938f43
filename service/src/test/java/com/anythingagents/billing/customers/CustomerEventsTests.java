package com.anythingagents.billing.customers;

import static com.anythingagents.billing.events.TestEvents.event;
import static com.anythingagents.billing.events.TestEvents.object;
import static com.anythingagents.billing.events.TestEvents.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorObjects;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.BillingChange;
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

/** The customer handler, fed events directly through the worker's applier. */
@BillingServiceTest
class CustomerEventsTests {

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

    @BeforeEach
    void setUp() {
        worker = WorkerStandIn.from(context);
        tenant = "cus-tests-" + UUID.randomUUID();
        customer = "cus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
    }

    @AfterEach
    void cleanUp() {
        jdbc.sql("delete from billing_customers where tenant_id = ?")
                .param(tenant)
                .update();
        jdbc.sql("delete from billing_activity where tenant_id = ?")
                .param(tenant)
                .update();
    }

    @Test
    void createdCustomerWithTenantMetadataIsLinkedAndKept() {
        List<BillingChange> changes =
                worker.process(event("evt_c_" + customer, "customer.created", at(1_000), customer()));

        assertThat(row())
                .containsEntry("tenant_id", tenant)
                .containsEntry("email", "billing@" + tenant + ".example")
                .containsEntry("deleted", false)
                .containsEntry("linked_by", "metadata")
                .containsEntry("source_event_id", "evt_c_" + customer);
        assertThat(directory.currentCustomer(tenant)).contains(customer);
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.summary()).isEqualTo("Customer " + customer + " created (billing@" + tenant + ".example)");
            assertThat(c.tenantId()).isEqualTo(tenant);
            assertThat(c.billingStatus()).isEqualTo("active");
        });
    }

    @Test
    void updatesApplyForwardOnlyAndDeletionIsKept() {
        worker.process(event("evt_c_" + customer, "customer.created", at(1_000), customer()));
        worker.process(event(
                "evt_u_" + customer, "customer.updated", at(2_000), customer().put("email", "new@x.example")));

        List<BillingChange> stale = worker.process(event(
                "evt_old_" + customer, "customer.updated", at(1_500), customer().put("email", "old@x.example")));
        List<BillingChange> deleted = worker.process(event(
                "evt_d_" + customer, "customer.deleted", at(3_000), customer().put("email", "new@x.example")));

        assertThat(stale).isEmpty();
        assertThat(deleted).singleElement().satisfies(c -> {
            assertThat(c.summary()).isEqualTo("Customer " + customer + " deleted");
            assertThat(c.billingStatus()).isEqualTo("deleted");
        });
        assertThat(row()).containsEntry("email", "new@x.example").containsEntry("deleted", true);
        assertThat(directory.currentCustomer(tenant)).isEmpty();
        assertThat(directory.tenantOf(customer))
                .as("late invoices still find the tenant")
                .contains(tenant);
    }

    @Test
    void customerWithoutTenantIsNotStoredAndReportsNothing() {
        List<BillingChange> changes =
                worker.process(event("evt_n_" + customer, "customer.created", at(1_000), tenant(customer(), null)));

        assertThat(changes).isEmpty();
        assertThat(directory.tenantOf(customer)).isEmpty();
    }

    @Test
    void tieInEventTimeIsSettledByStripesCurrentCustomer() {
        String price =
                settings.stripe().orElseThrow().prices().priceFor("starter").orElseThrow();
        ObjectNode truth = EmulatorObjects.payingCustomer(tenant, price).customer();
        customer = truth.path("id").asString();
        ObjectNode wrong = truth.deepCopy().put("email", "wrong@x.example");
        worker.process(event("evt_t1_" + customer, "customer.updated", at(5_000), wrong));

        worker.process(event("evt_t2_" + customer, "customer.updated", at(5_000), wrong));

        assertThat(row())
                .containsEntry("email", truth.path("email").asString())
                .containsEntry("source_event_id", "evt_t2_" + customer);
    }

    @Test
    void tieOnACustomerStripeNoLongerKnowsMarksItDeleted() {
        worker.process(event("evt_t1_" + customer, "customer.updated", at(1_000), customer()));

        worker.process(event("evt_t2_" + customer, "customer.updated", at(1_000), customer()));

        assertThat(row()).containsEntry("deleted", true);
    }

    private ObjectNode customer() {
        ObjectNode c = tenant(object("001_customer.created.json"), tenant);
        c.put("id", customer).put("email", "billing@" + tenant + ".example");
        return c;
    }

    private Map<String, Object> row() {
        return jdbc.sql("select * from billing_customers where stripe_customer_id = ?")
                .param(customer)
                .query()
                .singleRow();
    }

    private static Instant at(long second) {
        return Instant.ofEpochSecond(1_800_000_000L + second);
    }
}
