package com.anythingagents.billing.customers;

import com.anythingagents.billing.events.RowVersion;
import com.anythingagents.billing.events.StripeEvent;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code billing_customers}: tenant ↔ Stripe customer, one each way, written only forward. */
@Repository
class CustomerRows {

    // A deletion of a customer that is no longer the tenant's current one changes nothing; any
    // other customer snapshot applies when its event is newer than the row (or re-fetched on a tie).
    private static final String UPSERT = """
            insert into billing_customers as c (tenant_id, stripe_customer_id, email, deleted,
                source_event_created, source_event_id)
            values (:tenant, :customer, :email, :deleted, :eventCreated, :eventId)
            on conflict (tenant_id) do update set
                stripe_customer_id = excluded.stripe_customer_id,
                email = coalesce(excluded.email, c.email),
                deleted = excluded.deleted,
                source_event_created = excluded.source_event_created,
                source_event_id = excluded.source_event_id,
                updated_at = now()
            where (c.stripe_customer_id = excluded.stripe_customer_id or not excluded.deleted)
                and (c.source_event_created is null
                    or c.source_event_created < excluded.source_event_created
                    or (:refetched and c.source_event_created = excluded.source_event_created))
            """;

    private final JdbcClient jdbc;

    CustomerRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<RowVersion> version(String customerId) {
        return RowVersion.find(jdbc, "billing_customers", "stripe_customer_id", customerId);
    }

    /** @return whether the row changed (false: a newer event already won) */
    boolean upsert(String tenantId, CustomerSnapshot c, StripeEvent event, boolean refetched) {
        int rows = jdbc.sql(UPSERT)
                .param("tenant", tenantId)
                .param("customer", c.id())
                .param("email", c.email())
                .param("deleted", c.deleted())
                .param("eventCreated", event.created().atOffset(ZoneOffset.UTC))
                .param("eventId", event.id())
                .param("refetched", refetched)
                .update();
        if (rows > 1) {
            throw new IllegalStateException("upsert of customer " + c.id() + " changed " + rows + " rows");
        }
        return rows == 1;
    }

    /**
     * Records the mapping a checkout established, unless the tenant or the customer is mapped
     * already. Written without an event time, so any customer event still applies over it.
     * @return whether a mapping was added
     */
    boolean link(String tenantId, String customerId) {
        return jdbc.sql("""
                        insert into billing_customers (tenant_id, stripe_customer_id)
                        values (?, ?) on conflict do nothing
                        """).params(tenantId, customerId).update() == 1;
    }

    Optional<String> tenantOf(String customerId) {
        return jdbc.sql("select tenant_id from billing_customers where stripe_customer_id = ?")
                .param(customerId)
                .query(String.class)
                .optional();
    }
}
