package com.anythingagents.billing.subscriptions;

import static com.anythingagents.billing.subscriptions.SubscriptionEventJson.event;
import static com.anythingagents.billing.subscriptions.SubscriptionEventJson.item;
import static com.anythingagents.billing.subscriptions.SubscriptionEventJson.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.config.StripeSettings;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.worker.WorkerStandIn;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import java.time.Instant;
import java.time.OffsetDateTime;
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

@BillingServiceTest
class SubscriptionEventsTests {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    @Autowired
    ServiceSettings settings;

    WorkerStandIn worker;

    String tenant;

    /** Each test's own customer: a customer belongs to one tenant for good. */
    String customer;

    String pro;

    @BeforeEach
    void setUp() {
        worker = WorkerStandIn.from(context);
        tenant = "sub-tests-" + UUID.randomUUID();
        customer = "cus_" + tenant;
        pro = settings.stripe().orElseThrow().prices().priceFor("pro").orElseThrow();
    }

    @AfterEach
    void cleanUp() {
        jdbc.sql("delete from billing_subscriptions where tenant_id = ?")
                .param(tenant)
                .update();
        jdbc.sql("delete from billing_activity where tenant_id = ?")
                .param(tenant)
                .update();
        jdbc.sql("delete from billing_customers where tenant_id = ?")
                .param(tenant)
                .update();
    }

    @Test
    void staleUpdateAfterDeleteDoesNotResurrectTheSubscription() {
        ObjectNode sub = subscription("sub_" + tenant, tenant, customer, pro, 1_000);
        sub.put("status", "canceled").put("canceled_at", 1_200).put("ended_at", 1_200);
        worker.process(event("evt_del_" + tenant, "customer.subscription.deleted", 1_200, sub));
        sub.put("status", "active").putNull("canceled_at").putNull("ended_at");

        List<BillingChange> late =
                worker.process(event("evt_upd_" + tenant, "customer.subscription.updated", 1_100, sub));

        assertThat(late).isEmpty();
        assertThat(row()).containsEntry("status", "canceled").containsEntry("ended_at", Instant.ofEpochSecond(1_200));
    }

    @Test
    void sameEventTwiceLeavesOneStateAndOneActivityRow() {
        ObjectNode sub = subscription("sub_" + tenant, tenant, customer, pro, 1_000);
        item(sub).put("quantity", 3);
        StripeEvent updated = event("evt_once_" + tenant, "customer.subscription.updated", 1_100, sub);

        List<BillingChange> first = worker.process(updated);
        Map<String, Object> state = row();
        List<BillingChange> second = worker.process(updated);

        assertThat(first)
                .singleElement()
                .satisfies(c -> assertThat(c.summary())
                        .isEqualTo("Subscription sub_" + tenant + " is now active on plan pro (qty 3)"));
        assertThat(second).isEmpty();
        assertThat(row()).isEqualTo(state);
        assertThat(activityCount()).isEqualTo(1);
    }

    @Test
    void newerSubscriptionReplacesTheTenantsRowAndTheOlderOneNeverTakesItBack() {
        ObjectNode older = subscription("sub_old_" + tenant, tenant, customer, pro, 1_000);
        ObjectNode newer = subscription("sub_new_" + tenant, tenant, customer, pro, 2_000);
        worker.process(event("evt_a_" + tenant, "customer.subscription.created", 1_000, older));
        worker.process(event("evt_b_" + tenant, "customer.subscription.created", 2_000, newer));
        older.put("status", "canceled").put("ended_at", 2_500);

        List<BillingChange> late =
                worker.process(event("evt_c_" + tenant, "customer.subscription.deleted", 2_500, older));

        assertThat(late).isEmpty();
        assertThat(row())
                .containsEntry("stripe_subscription_id", "sub_new_" + tenant)
                .containsEntry("status", "active");
    }

    @Test
    void subscriptionWithoutTenantIsNotStored() {
        ObjectNode sub = subscription("sub_" + tenant, tenant, "cus_nobody_" + tenant, pro, 1_000);
        sub.remove("metadata");

        List<BillingChange> changes =
                worker.process(event("evt_" + tenant, "customer.subscription.updated", 1_000, sub));

        assertThat(changes).isEmpty();
        assertThat(jdbc.sql("select count(*) from billing_subscriptions where stripe_subscription_id = ?")
                        .param("sub_" + tenant)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void tieInEventTimeIsSettledByStripesCurrentState() throws StripeException {
        Subscription truth = createInEmulator();
        long second = truth.getCreated() + 5;
        ObjectNode wrong = subscription(truth.getId(), tenant, truth.getCustomer(), pro, truth.getCreated());
        wrong.put("status", "past_due");
        item(wrong).put("quantity", 7);
        worker.process(event("evt_tie1_" + tenant, "customer.subscription.updated", second, wrong));
        wrong.put("status", "unpaid");

        worker.process(event("evt_tie2_" + tenant, "customer.subscription.updated", second, wrong));

        SubscriptionItem item = truth.getItems().getData().get(0);
        assertThat(row())
                .containsEntry("stripe_subscription_id", truth.getId())
                .containsEntry("status", truth.getStatus())
                .containsEntry("quantity", item.getQuantity().intValue())
                .containsEntry("plan_code", "pro")
                .containsEntry("current_period_start", Instant.ofEpochSecond(item.getCurrentPeriodStart()))
                .containsEntry("current_period_end", Instant.ofEpochSecond(item.getCurrentPeriodEnd()))
                .containsEntry("source_event_created", Instant.ofEpochSecond(second))
                .containsEntry("source_event_id", "evt_tie2_" + tenant);
    }

    @Test
    void tieOnASubscriptionStripeNoLongerKnowsCancelsIt() {
        ObjectNode sub = subscription("sub_gone_" + tenant, tenant, customer, pro, 1_000);
        worker.process(event("evt_g1_" + tenant, "customer.subscription.updated", 1_100, sub));

        worker.process(event("evt_g2_" + tenant, "customer.subscription.updated", 1_100, sub));

        assertThat(row()).containsEntry("status", "canceled").containsEntry("ended_at", Instant.ofEpochSecond(1_100));
    }

    private Subscription createInEmulator() throws StripeException {
        StripeSettings stripe = settings.stripe().orElseThrow();
        StripeClient client = StripeClient.builder()
                .setApiKey(stripe.secretKey())
                .setApiBase(stripe.apiBase().orElseThrow().toString())
                .build();
        Customer customer = client.customers()
                .create(CustomerCreateParams.builder()
                        .setEmail("billing@" + tenant + ".example")
                        .putMetadata("tenant_id", tenant)
                        .build());
        return client.subscriptions()
                .create(SubscriptionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(pro)
                                .setQuantity(3L)
                                .build())
                        .setTrialPeriodDays(14L)
                        .putMetadata("tenant_id", tenant)
                        .build());
    }

    private Map<String, Object> row() {
        Map<String, Object> row =
                new java.util.LinkedHashMap<>(jdbc.sql("select * from billing_subscriptions where tenant_id = ?")
                        .param(tenant)
                        .query()
                        .singleRow());
        row.remove("updated_at");
        row.replaceAll((k, v) -> v instanceof java.sql.Timestamp ts
                ? ts.toInstant()
                : v instanceof OffsetDateTime o ? o.toInstant() : v);
        return row;
    }

    private long activityCount() {
        return jdbc.sql("select count(*) from billing_activity where tenant_id = ?")
                .param(tenant)
                .query(Long.class)
                .single();
    }
}
