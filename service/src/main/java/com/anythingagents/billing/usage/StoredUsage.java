package com.anythingagents.billing.usage;

import java.time.Instant;

/**
 * A usage record as operators see it ({@code replay-usage}).
 *
 * @param status {@code pending}, {@code reported} or {@code failed}
 * @param lastError why the last delivery failed, or why it will not be billed; null when none
 */
public record StoredUsage(
        long id,
        String tenantId,
        String featureKey,
        long quantity,
        Instant occurredAt,
        String idempotencyKey,
        String status,
        int attempts,
        String lastError) {

    public boolean failed() {
        return UsageStatus.FAILED.column().equals(status);
    }
}
