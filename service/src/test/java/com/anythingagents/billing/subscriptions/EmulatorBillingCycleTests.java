package com.anythingagents.billing.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.local.LocalMode;
import com.anythingagents.stripe.emulator.StripeEmulator;
import com.stripe.StripeClient;
import com.stripe.model.Customer;
import com.stripe.model.Subscription;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * End to end with the emulator as Stripe: what happens there reaches local state only through its
 * signed webhooks, the intake and the worker.
 */
@BillingServiceTest
class EmulatorBillingCycleTests {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ServiceSettings settings;

    @Test
    void subscriptionLifecycleInStripeShowsUpLocally() throws Exception {
        StripeEmulator emulator = LocalMode.emulator().orElseThrow();
        StripeClient stripe = StripeClient.builder()
                .setApiKey("sk_test_cycle")
                .setApiBase(emulator.baseUrl())
                .build();
        String tenant = "t_" + UUID.randomUUID();
        String starter =
                settings.stripe().orElseThrow().prices().priceFor("starter").orElseThrow();
        Customer customer = stripe.customers()
                .create(CustomerCreateParams.builder()
                        .setEmail("cycle@example.com")
                        .putMetadata("tenant_id", tenant)
                        .build());
        Subscription subscription = stripe.subscriptions()
                .create(SubscriptionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(starter)
                                .setQuantity(2L)
                                .build())
                        .setTrialPeriodDays(7L)
                        .putMetadata("tenant_id", tenant)
                        .build());

        await().atMost(DELIVERY).until(() -> "trialing".equals(subscriptionStatus(tenant)));
        assertThat(subscriptionRow(tenant))
                .containsEntry("stripe_subscription_id", subscription.getId())
                .containsEntry("plan_code", "starter")
                .containsEntry("quantity", 2);
        assertThat(jdbc.sql("select stripe_customer_id from billing_customers where tenant_id = ?")
                        .param(tenant)
                        .query(String.class)
                        .single())
                .isEqualTo(customer.getId());

        emulator.advanceClock(Duration.ofDays(8)); // the trial ends: first real invoice, paid
        await().atMost(DELIVERY).until(() -> "active".equals(subscriptionStatus(tenant)));
        await().atMost(DELIVERY).until(() -> paidInvoiceTotals(tenant).contains(5800L));

        emulator.failNextPayment(customer.getId(), "insufficient_funds");
        emulator.advanceClock(Duration.ofDays(31)); // next period: the payment is declined
        await().atMost(DELIVERY).until(() -> "past_due".equals(subscriptionStatus(tenant)));
        // the invoice's events and the subscription's are processed apart: the row may lag the status
        await().atMost(DELIVERY)
                .until(() -> jdbc.sql("select count(*) from billing_activity where tenant_id = ? "
                                        + "and event_type = 'invoice.payment_failed'")
                                .param(tenant)
                                .query(Long.class)
                                .single()
                        == 1L);

        stripe.subscriptions().cancel(subscription.getId());
        await().atMost(DELIVERY).until(() -> "canceled".equals(subscriptionStatus(tenant)));
    }

    private String subscriptionStatus(String tenant) {
        return jdbc.sql("select status from billing_subscriptions where tenant_id = ?")
                .param(tenant)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private Map<String, Object> subscriptionRow(String tenant) {
        return jdbc.sql(
                        "select stripe_subscription_id, plan_code, quantity from billing_subscriptions where tenant_id = ?")
                .param(tenant)
                .query()
                .singleRow();
    }

    private java.util.List<Long> paidInvoiceTotals(String tenant) {
        return jdbc.sql("select total from billing_invoices where tenant_id = ? and status = 'paid'")
                .param(tenant)
                .query(Long.class)
                .list();
    }
}
