package com.anythingagents.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/** The Flyway schema on embedded PostgreSQL holds the tables and uniqueness DESIGN §5 relies on. */
@BillingServiceTest
@Transactional // every test's rows are rolled back: the context is shared
class SchemaTests {

    @Autowired
    JdbcClient jdbc;

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID();
    }

    @Test
    void createsEveryTableOfTheDataModel() {
        assertThat(jdbc.sql("select table_name from information_schema.tables where table_schema = 'public'")
                        .query(String.class)
                        .list())
                .contains(
                        "stripe_events",
                        "billing_customers",
                        "billing_subscriptions",
                        "billing_invoices",
                        "billing_charges",
                        "usage_records",
                        "billing_activity");
    }

    @Test
    void storesAStripeEventOnlyOnce() {
        String id = unique("evt_");
        String insert = "insert into stripe_events (stripe_event_id, event_type, stripe_created_at, payload)"
                + " values (:id, 'invoice.paid', now(), '{}'::jsonb)";
        jdbc.sql(insert).param("id", id).update();

        assertThat(jdbc.sql("select status from stripe_events where stripe_event_id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .isEqualTo("received");
        assertThatThrownBy(() -> jdbc.sql(insert).param("id", id).update()).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void usageRecordIsUniquePerTenantAndIdempotencyKey() {
        String key = unique("run-");
        String insert = "insert into usage_records (tenant_id, feature_key, quantity, occurred_at, idempotency_key)"
                + " values (:tenant, 'agent_run', 1, now(), :key)";
        jdbc.sql(insert).param("tenant", "acme").param("key", key).update();
        jdbc.sql(insert).param("tenant", "globex").param("key", key).update();

        assertThatThrownBy(() -> jdbc.sql(insert)
                        .param("tenant", "acme")
                        .param("key", key)
                        .update())
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void tenantMayHaveHadSeveralCustomersButEachCustomerBelongsToOneTenant() {
        String tenant = unique("tenant-");
        String customer = unique("cus_");
        String insert = "insert into billing_customers (tenant_id, stripe_customer_id, customer_created)"
                + " values (:tenant, :customer, now())";
        jdbc.sql(insert).param("tenant", tenant).param("customer", customer).update();
        jdbc.sql(insert)
                .param("tenant", tenant)
                .param("customer", unique("cus_"))
                .update();

        assertThatThrownBy(() -> jdbc.sql(insert)
                        .param("tenant", unique("tenant-"))
                        .param("customer", customer)
                        .update())
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void stripeSubscriptionIsStoredForOneTenantOnly() {
        String subscription = unique("sub_");
        String insert = "insert into billing_subscriptions (tenant_id, stripe_subscription_id, stripe_customer_id,"
                + " status) values (:tenant, :subscription, 'cus_x', 'active')";
        jdbc.sql(insert)
                .param("tenant", unique("tenant-"))
                .param("subscription", subscription)
                .update();

        assertThatThrownBy(() -> jdbc.sql(insert)
                        .param("tenant", unique("tenant-"))
                        .param("subscription", subscription)
                        .update())
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void invoiceIsUniqueByStripeId() {
        String invoice = unique("in_");
        String insertInvoice = "insert into billing_invoices (stripe_invoice_id, stripe_customer_id, status, currency)"
                + " values (:id, 'cus_x', 'paid', 'usd')";
        jdbc.sql(insertInvoice).param("id", invoice).update();

        assertThatThrownBy(() -> jdbc.sql(insertInvoice).param("id", invoice).update())
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void chargeIsUniqueByStripeId() {
        String charge = unique("ch_");
        String insert = "insert into billing_charges (stripe_charge_id, status, currency, amount)"
                + " values (:id, 'succeeded', 'usd', 2900)";
        jdbc.sql(insert).param("id", charge).update();

        assertThatThrownBy(() -> jdbc.sql(insert).param("id", charge).update())
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void activityRecordsAStripeEventOnce() {
        String event = unique("evt_");
        // without a tenant: a tenant's row needs its sequence (V6), which only the ledger hands out
        String insert = "insert into billing_activity (event_type, summary, processing_status,"
                + " stripe_event_id, occurred_at) values ('invoice.paid', 'Paid', 'processed', :event, now())";
        jdbc.sql(insert).param("event", event).update();

        assertThatThrownBy(() -> jdbc.sql(insert).param("event", event).update())
                .isInstanceOf(DuplicateKeyException.class);
    }
}
