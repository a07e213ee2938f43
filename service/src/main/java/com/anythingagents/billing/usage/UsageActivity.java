package com.anythingagents.billing.usage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The billing activity of usage delivery, one item per tenant and feature for each delivered (or
 * failed) chunk, so the ledger reads "Usage reported: 1,200 agent_runs (400 reports)" rather than
 * one line per report. Written in the caller's transaction, beside the status change it describes.
 *
 * <p>Stand-in until the live stream's public API ({@code activity.BillingActivity}) is on main: it
 * writes {@code billing_activity} as the event worker does today. Switching over is this class's
 * {@code insert} becoming {@code BillingActivity.record(tenant, type, change)} (or
 * {@code recordFailure}) once per item, which also numbers the item per tenant and publishes it after
 * commit (one statement per item then, instead of one per chunk).
 */
@Component
class UsageActivity {

    static final String REPORTED = "usage.reported";

    static final String FAILED = "usage.failed";

    static final int MAX_REASON = 300;

    private final JdbcClient jdbc;

    UsageActivity(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void reported(List<UsageRecords.Marked> marked, Instant now) {
        insert(
                REPORTED,
                "processed",
                marked,
                now,
                (group, total) -> "Usage reported to Stripe: " + total.quantity + " " + group.feature() + " ("
                        + total.reports + (total.reports == 1 ? " report)" : " reports)"));
    }

    void failed(List<UsageRecords.Marked> marked, String reason, Instant now) {
        insert(
                FAILED,
                "failed",
                marked,
                now,
                (group, total) -> "Usage not billed: " + total.quantity + " "
                        + group.feature() + " (" + total.reports + (total.reports == 1 ? " report" : " reports") + "): "
                        + shortened(reason));
    }

    private static String shortened(String reason) {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
    }

    private record Group(String tenant, String feature) {}

    private static final class Total {
        long quantity;
        int reports;
    }

    private static Map<Group, Total> totals(List<UsageRecords.Marked> marked) {
        Map<Group, Total> totals = new LinkedHashMap<>();
        for (UsageRecords.Marked m : marked) {
            Total total = totals.computeIfAbsent(new Group(m.tenantId(), m.featureKey()), g -> new Total());
            total.quantity += m.quantity();
            total.reports++;
        }
        return totals;
    }

    /**
     * One multi-row statement for the chunk, whatever the number of tenants in it: a chunk of 100
     * reports from 100 tenants is 100 items, and this runs at the outbox's rate.
     */
    private void insert(
            String type,
            String processing,
            List<UsageRecords.Marked> marked,
            Instant now,
            java.util.function.BiFunction<Group, Total, String> summary) {
        Map<Group, Total> totals = totals(marked);
        if (totals.isEmpty()) {
            return;
        }
        String[] tenants = new String[totals.size()];
        String[] summaries = new String[totals.size()];
        Long[] quantities = new Long[totals.size()];
        int i = 0;
        for (Map.Entry<Group, Total> e : totals.entrySet()) {
            tenants[i] = e.getKey().tenant();
            summaries[i] = summary.apply(e.getKey(), e.getValue());
            quantities[i] = e.getValue().quantity;
            i++;
        }
        jdbc.sql("""
                        insert into billing_activity (tenant_id, event_type, summary, processing_status, usage_quantity,
                            occurred_at)
                        select t.tenant, :type, t.summary, :processing, t.quantity, :now
                        from unnest(cast(:tenants as text[]), cast(:summaries as text[]), cast(:quantities as bigint[]))
                            as t(tenant, summary, quantity)""")
                .param("type", type)
                .param("processing", processing)
                .param("now", now.atOffset(ZoneOffset.UTC))
                .param("tenants", tenants)
                .param("summaries", summaries)
                .param("quantities", quantities)
                .update();
    }
}
