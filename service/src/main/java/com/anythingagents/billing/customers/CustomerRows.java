package com.anythingagents.billing.customers;

import com.anythingagents.billing.events.RowVersion;
import com.anythingagents.billing.events.StripeEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code billing_customers}: one row per Stripe customer, written once with its tenant (which no
 * statement here ever changes), then kept forward-only from the customer's events. Only {@link
 * TenantRules} links customers.
 */
@Repository
class CustomerRows {

    /** What linked a customer to its tenant (column {@code linked_by}). */
    enum LinkedBy {
        SERVICE,
        METADATA;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final JdbcClient jdbc;

    CustomerRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, String> tenantsOf(Collection<String> customerIds) {
        return jdbc
                .sql("select stripe_customer_id, tenant_id from billing_customers"
                        + " where stripe_customer_id = any(:ids)")
                .param("ids", customerIds.toArray(String[]::new))
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    Optional<String> tenantOf(String customerId) {
        return jdbc.sql("select tenant_id from billing_customers where stripe_customer_id = ?")
                .param(customerId)
                .query(String.class)
                .optional();
    }

    /** @return whether the link was added (false: the customer was linked already) */
    boolean link(String tenantId, String customerId, Instant customerCreated, LinkedBy linkedBy) {
        return jdbc.sql("""
                        insert into billing_customers (tenant_id, stripe_customer_id, customer_created, linked_by)
                        values (:tenant, :customer, :created, :linkedBy)
                        on conflict (stripe_customer_id) do nothing""")
                        .param("tenant", tenantId)
                        .param("customer", customerId)
                        .param("created", at(customerCreated))
                        .param("linkedBy", linkedBy.column())
                        .update()
                == 1;
    }

    /** The service says it created this (linked) customer: the strongest evidence, and its real creation time. */
    void confirmCreatedByService(String customerId, Instant customerCreated) {
        jdbc.sql("update billing_customers set linked_by = 'service', customer_created = ?, updated_at = now()"
                        + " where stripe_customer_id = ?")
                .params(at(customerCreated), customerId)
                .update();
    }

    /** The tenant's newest customer (by Stripe's created) and whether it is deleted. */
    Optional<Newest> newestOf(String tenantId) {
        return jdbc.sql("""
                        select stripe_customer_id, deleted from billing_customers where tenant_id = ?
                        order by customer_created desc, created_at desc limit 1""")
                .param(tenantId)
                .query((rs, n) -> new Newest(rs.getString(1), rs.getBoolean(2)))
                .optional();
    }

    record Newest(String customerId, boolean deleted) {}

    Optional<RowVersion> version(String customerId) {
        return RowVersion.find(jdbc, "billing_customers", "stripe_customer_id", customerId);
    }

    /**
     * Applies a snapshot of a linked customer when its event is newer than the row (or, re-fetched,
     * of the same second); the tenant never changes.
     * @return whether the row changed
     */
    boolean update(CustomerSnapshot c, StripeEvent event, boolean refetched) {
        int rows = jdbc.sql("""
                        update billing_customers as c set
                            email = coalesce(:email, c.email),
                            deleted = :deleted,
                            customer_created = coalesce(:created, c.customer_created),
                            source_event_created = :eventCreated,
                            source_event_id = :eventId,
                            updated_at = now()
                        where c.stripe_customer_id = :customer
                            and (c.source_event_created is null
                                or c.source_event_created < :eventCreated
                                or (:refetched and c.source_event_created = :eventCreated))""")
                .param("email", c.email())
                .param("deleted", c.deleted())
                .param("created", at(c.created()))
                .param("eventCreated", at(event.created()))
                .param("eventId", event.id())
                .param("customer", c.id())
                .param("refetched", refetched)
                .update();
        if (rows > 1) {
            throw new IllegalStateException("update of customer " + c.id() + " changed " + rows + " rows");
        }
        return rows == 1;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
