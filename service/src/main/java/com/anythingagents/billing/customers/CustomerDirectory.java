package com.anythingagents.billing.customers;

import com.anythingagents.billing.events.CustomerLock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which Stripe customer is a tenant's, for the rest of the service (the billing API creates
 * customers through it). The rules are {@link TenantRules}': a customer belongs to one tenant for
 * good; a tenant's current customer is its newest one.
 */
@Component
public class CustomerDirectory {

    private final CustomerRows rows;

    private final TenantRules rules;

    private final JdbcClient jdbc;

    private final TransactionTemplate transaction;

    CustomerDirectory(CustomerRows rows, TenantRules rules, JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.rows = rows;
        this.rules = rules;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * The tenant's current Stripe customer: its newest one, unless that one is deleted (then none:
     * an older customer is never current again).
     */
    public Optional<String> currentCustomer(String tenantId) {
        return rows.newestOf(tenantId).filter(newest -> !newest.deleted()).map(CustomerRows.Newest::customerId);
    }

    /** The tenant a Stripe customer belongs to, if it is linked (deleted customers included). */
    public Optional<String> tenantOf(String stripeCustomerId) {
        return rows.tenantOf(stripeCustomerId);
    }

    /**
     * Records that this service created {@code stripeCustomerId} for {@code tenantId} (the
     * strongest evidence there is). Call it after Stripe answered, never inside a transaction that
     * called Stripe; calling it again is harmless. When the customer is new to the tenant it becomes
     * the tenant's current customer if it is the newest, and what was stored for it without a
     * tenant gets the tenant.
     * @param stripeCreated the customer's {@code created} as Stripe returned it
     * @throws IllegalStateException when the customer belongs to another tenant: customers never
     *     move between tenants without an operator
     */
    public void linkCreatedCustomer(String tenantId, String stripeCustomerId, Instant stripeCreated) {
        if (tenantId == null || tenantId.isBlank() || stripeCustomerId == null || stripeCustomerId.isBlank()) {
            throw new IllegalArgumentException("a tenant id and a Stripe customer id are required");
        }
        transaction.executeWithoutResult(status -> {
            CustomerLock.acquire(jdbc, stripeCustomerId);
            Optional<String> owner = rows.tenantOf(stripeCustomerId);
            if (owner.isPresent() && !owner.get().equals(tenantId)) {
                throw new IllegalStateException("Stripe customer " + stripeCustomerId + " belongs to tenant "
                        + owner.get() + ", not " + tenantId + "; customers never move between tenants without an"
                        + " operator");
            }
            if (owner.isEmpty()) {
                rules.link(tenantId, stripeCustomerId, stripeCreated, CustomerRows.LinkedBy.SERVICE);
            } else {
                rows.confirmCreatedByService(stripeCustomerId, stripeCreated);
            }
        });
    }
}
