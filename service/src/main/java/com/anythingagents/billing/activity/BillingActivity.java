package com.anythingagents.billing.activity;

import com.anythingagents.billing.events.BillingChange;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The activity ledger's public API. Writers record items that do not come from a Stripe event
 * (usage reported or failed, …); the live stream reads a tenant's items in sequence order.
 *
 * <p>Recording happens in the caller's transaction, like the worker's own items: the item commits
 * or rolls back with the state change it describes, and it is published to every live-stream client
 * of the tenant (on every instance) only once the transaction has committed. Call it as the last
 * statement of your transaction: it locks the tenant's sequence until you commit, so other writers of
 * the same tenant wait for you (that wait is what keeps the stream's ids in commit order).
 */
@Component
public class BillingActivity {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    private static final int MAX_TYPE_LENGTH = 100;

    private final ActivityLog log;

    private final Clock clock;

    BillingActivity(ActivityLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /**
     * Records a successful activity ({@code processing_status = processed}), e.g. usage reported.
     * @param type dotted lower case, e.g. {@code usage.reported}; it becomes the stream's {@code event:}
     * @param change what changed; its tenant, when set, must be {@code tenantId}
     * @return the stored item; its {@code seq} is the tenant's next sequence (the SSE id)
     */
    public ActivityEntry record(String tenantId, String type, BillingChange change) {
        return insert(tenantId, type, ActivityLog.PROCESSED, change);
    }

    /** Records a failed activity ({@code processing_status = failed}), e.g. usage that Stripe refused. */
    public ActivityEntry recordFailure(String tenantId, String type, BillingChange change) {
        return insert(tenantId, type, ActivityLog.FAILED, change);
    }

    /** A tenant's items after {@code afterSeq} (0 for all), oldest first, at most {@code limit}. */
    public List<ActivityEntry> after(String tenantId, long afterSeq, int limit) {
        return log.after(tenantId, afterSeq, limit);
    }

    /** The last committed sequence of each tenant (0 when it has none): where a live stream starts. */
    public Map<String, Long> latestSeqs(Collection<String> tenantIds) {
        return log.latestSeqs(tenantIds);
    }

    private ActivityEntry insert(String tenantId, String type, String processing, BillingChange change) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("Activity needs a tenant");
        }
        if (change.tenantId() != null && !change.tenantId().equals(tenantId)) {
            throw new IllegalArgumentException("The change belongs to another tenant than " + tenantId);
        }
        if (type == null
                || type.length() > MAX_TYPE_LENGTH
                || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("Activity type must be dotted lower case, e.g. usage.reported: " + type);
        }
        return log.insert(tenantId, type, processing, change, null, clock.instant())
                .orElseThrow(
                        () -> new IllegalStateException("An activity item without a Stripe event is always stored"));
    }
}
