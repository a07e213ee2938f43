package com.anythingagents.billing.usage;

import com.anythingagents.billing.stripe.MeterEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * A usage record leased by one worker: only that worker, while {@code leaseUntil} has not passed,
 * may mark it. {@code attempts} includes this one (counted when claimed); {@code unknownSince}: the
 * first failed send that may have reached Stripe all the same (see V9).
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
        int attempts,
        Optional<Instant> unknownSince) {

    MeterEvent meterEvent() {
        return new MeterEvent(
                meterEventName, MeterEventIdentifier.of(tenantId, idempotencyKey), customerId, quantity, occurredAt);
    }
}
