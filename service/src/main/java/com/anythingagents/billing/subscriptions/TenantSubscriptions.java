package com.anythingagents.billing.subscriptions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads a tenant's current subscription as stored locally (kept forward-only from Stripe's events). */
@Component
public class TenantSubscriptions {

    private final JdbcClient jdbc;

    TenantSubscriptions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Subscription> find(String tenantId) {
        return jdbc.sql("""
                        select stripe_subscription_id, stripe_customer_id, status, plan_code, stripe_price_id,
                            quantity, current_period_start, current_period_end, trial_end, cancel_at_period_end,
                            canceled_at, ended_at
                        from billing_subscriptions where tenant_id = ?""")
                .param(tenantId)
                .query(TenantSubscriptions::subscription)
                .optional();
    }

    private static Subscription subscription(ResultSet rs, int row) throws SQLException {
        return new Subscription(
                rs.getString("stripe_subscription_id"),
                rs.getString("stripe_customer_id"),
                rs.getString("status"),
                rs.getString("plan_code"),
                rs.getString("stripe_price_id"),
                rs.getInt("quantity"),
                instant(rs, "current_period_start"),
                instant(rs, "current_period_end"),
                instant(rs, "trial_end"),
                rs.getBoolean("cancel_at_period_end"),
                instant(rs, "canceled_at"),
                instant(rs, "ended_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
