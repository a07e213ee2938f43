package com.anythingagents.billing.activity;

import com.anythingagents.billing.events.ActivityRecorder;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The billing activity ledger ({@code billing_activity}): written in the worker's transaction,
 * read by the live stream. One row per Stripe event, however often the event is processed.
 */
@Component
class ActivityLog implements ActivityRecorder {

    static final String PROCESSED = "processed";

    private final JdbcClient jdbc;

    ActivityLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(StripeEvent event, BillingChange change) {
        // a replayed event finds its row already there (partial unique index on stripe_event_id)
        jdbc.sql("""
                        insert into billing_activity (tenant_id, event_type, summary, processing_status,
                            billing_status, stripe_event_id, stripe_subscription_id, stripe_invoice_id,
                            plan_code, amount, currency, usage_quantity, occurred_at)
                        values (:tenant, :type, :summary, :processing, :billing, :eventId, :subscription,
                            :invoice, :plan, :amount, :currency, :usage, :occurredAt)
                        on conflict (stripe_event_id) where stripe_event_id is not null do nothing
                        """)
                .param("tenant", change.tenantId())
                .param("type", event.type())
                .param("summary", change.summary())
                .param("processing", PROCESSED)
                .param("billing", change.billingStatus())
                .param("eventId", event.id())
                .param("subscription", change.subscriptionId())
                .param("invoice", change.invoiceId())
                .param("plan", change.planCode())
                .param("amount", change.amount())
                .param("currency", change.currency())
                .param("usage", change.usageQuantity())
                .param("occurredAt", event.created().atOffset(ZoneOffset.UTC))
                .update();
    }

    @Override
    public void assignTenant(String tenantId, Collection<String> stripeEventIds) {
        jdbc.sql("update billing_activity set tenant_id = ? where tenant_id is null and stripe_event_id = any(?)")
                .params(tenantId, stripeEventIds.toArray(String[]::new))
                .update();
    }

    /** A tenant's activity after {@code afterSeq} (0 for all), oldest first, at most {@code limit} items. */
    List<ActivityEntry> after(String tenantId, long afterSeq, int limit) {
        return jdbc.sql("""
                        select * from billing_activity
                        where tenant_id = ? and seq > ?
                        order by seq limit ?
                        """)
                .params(tenantId, afterSeq, limit)
                .query(ActivityLog::entry)
                .list();
    }

    private static ActivityEntry entry(ResultSet rs, int row) throws SQLException {
        return new ActivityEntry(
                rs.getLong("seq"),
                rs.getString("tenant_id"),
                rs.getString("event_type"),
                rs.getString("summary"),
                rs.getString("processing_status"),
                rs.getString("billing_status"),
                rs.getString("stripe_event_id"),
                rs.getString("stripe_subscription_id"),
                rs.getString("stripe_invoice_id"),
                rs.getString("plan_code"),
                rs.getObject("amount", Long.class),
                rs.getString("currency"),
                rs.getObject("usage_quantity", Long.class),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant());
    }
}
