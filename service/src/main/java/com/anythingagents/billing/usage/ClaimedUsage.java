package com.anythingagents.billing.usage;

import com.anythingagents.billing.stripe.MeterEvent;
import java.time.Instant;

/**
 * A usage record leased by one worker: only that worker, while {@code leaseUntil} has not passed,
 * may mark it. {@code attempts} includes this one (counted when claimed).
 */
record ClaimedUsage(
        long id,
        String tenantId,
        String featureKey,
        long quantity,
        Instant occurredAt,
        String idempotencyKey,
        String customerId,
        String meterEventName,
        int attempts) {

    MeterEvent meterEvent() {
        return new MeterEvent(
                meterEventName, MeterEventIdentifier.of(tenantId, idempotencyKey), customerId, quantity, occurredAt);
    }
}
