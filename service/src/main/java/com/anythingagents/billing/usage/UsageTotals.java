package com.anythingagents.billing.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sums of a tenant's usage over a period, by feature and status and by UTC day, for the API. */
@Repository
class UsageTotals {

    private final JdbcClient jdbc;

    UsageTotals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record FeatureTotal(String featureKey, long reported, long pending, long failed) {}

    record DailyTotal(String featureKey, LocalDate day, long quantity) {}

    /** Per feature, with {@code from ≤ occurred_at < to}. */
    List<FeatureTotal> byFeature(String tenantId, Instant from, Instant to) {
        return jdbc.sql("""
                        select feature_key,
                            coalesce(sum(quantity) filter (where status = 'reported'), 0) as reported,
                            coalesce(sum(quantity) filter (where status = 'pending'), 0) as pending,
                            coalesce(sum(quantity) filter (where status = 'failed'), 0) as failed
                        from usage_records
                        where tenant_id = :tenant and occurred_at >= :from and occurred_at < :to
                        group by feature_key order by feature_key""")
                .param("tenant", tenantId)
                .param("from", UsageRecords.time(from))
                .param("to", UsageRecords.time(to))
                .query((rs, n) -> new FeatureTotal(
                        rs.getString("feature_key"),
                        rs.getLong("reported"),
                        rs.getLong("pending"),
                        rs.getLong("failed")))
                .list();
    }

    /** Per feature and UTC day, what is or will be billed (reported and pending; failed is not). */
    List<DailyTotal> daily(String tenantId, Instant from, Instant to) {
        return jdbc.sql("""
                        select feature_key, (occurred_at at time zone 'UTC')::date as day, sum(quantity) as quantity
                        from usage_records
                        where tenant_id = :tenant and occurred_at >= :from and occurred_at < :to
                            and status <> 'failed'
                        group by feature_key, day order by day, feature_key""")
                .param("tenant", tenantId)
                .param("from", UsageRecords.time(from))
                .param("to", UsageRecords.time(to))
                .query((rs, n) -> new DailyTotal(
                        rs.getString("feature_key"), rs.getObject("day", LocalDate.class), rs.getLong("quantity")))
                .list();
    }
}
