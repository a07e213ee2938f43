package com.anythingagents.billing.customers;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which Stripe customer is a tenant's. Stand-in with the pipeline branch's signature until its
 * tenant rules land (they replace this file on merge).
 */
@Component
public class CustomerDirectory {

    private final CustomerRows rows;

    private final JdbcClient jdbc;

    CustomerDirectory(CustomerRows rows, JdbcClient jdbc) {
        this.rows = rows;
        this.jdbc = jdbc;
    }

    /** The tenant's current Stripe customer, unless it is deleted. */
    public Optional<String> currentCustomer(String tenantId) {
        return jdbc.sql("select stripe_customer_id from billing_customers where tenant_id = ? and not deleted")
                .param(tenantId)
                .query(String.class)
                .optional();
    }

    /** Records that this service created {@code stripeCustomerId} for {@code tenantId}. */
    public void linkCreatedCustomer(String tenantId, String stripeCustomerId, Instant stripeCreated) {
        rows.link(tenantId, stripeCustomerId);
    }
}
