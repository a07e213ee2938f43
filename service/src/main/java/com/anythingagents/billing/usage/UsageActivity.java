package com.anythingagents.billing.usage;

import com.anythingagents.billing.activity.BillingActivity;
import com.anythingagents.billing.events.BillingChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The billing activity of usage delivery, one item per tenant and feature for each delivered (or
 * failed) chunk, so the ledger reads "Usage reported: 1,200 agent_runs (400 reports)" rather than
 * one line per report. Written with {@link BillingActivity} in the caller's transaction, beside the
 * status change it describes: numbered per tenant and streamed live once that transaction commits.
 */
@Component
class UsageActivity {

    static final String REPORTED = "usage.reported";

    static final String FAILED = "usage.failed";

    static final int MAX_REASON = 300;

    private final BillingActivity activity;

    UsageActivity(BillingActivity activity) {
        this.activity = activity;
    }

    void reported(List<UsageRecords.Marked> marked) {
        totals(marked)
                .forEach((group, total) -> insert(
                        group.tenant(),
                        REPORTED,
                        false,
                        "Usage reported to Stripe: " + total.quantity + " " + group.feature() + " (" + total.reports
                                + (total.reports == 1 ? " report)" : " reports)"),
                        total.quantity));
    }

    void failed(List<UsageRecords.Marked> marked, String reason) {
        totals(marked)
                .forEach((group, total) -> insert(
                        group.tenant(),
                        FAILED,
                        true,
                        "Usage not billed: " + total.quantity + " " + group.feature() + " (" + total.reports
                                + (total.reports == 1 ? " report" : " reports") + "): " + shortened(reason),
                        total.quantity));
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

    private void insert(String tenant, String type, boolean failed, String summary, long quantity) {
        BillingChange change = new BillingChange(tenant, summary, null, null, null, null, null, null, quantity);
        if (failed) {
            activity.recordFailure(tenant, type, change);
        } else {
            activity.record(tenant, type, change);
        }
    }
}
