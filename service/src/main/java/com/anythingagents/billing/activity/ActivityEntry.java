package com.anythingagents.billing.activity;

import java.time.Instant;

/**
 * One normalized billing activity item as stored and as the live stream sends it (JSON in snake
 * case). {@code seq} is the tenant's own sequence: it grows by one per committed item of that
 * tenant, in commit order, and is the SSE event id clients resume from. Amounts are minor units of
 * {@code currency}.
 */
public record ActivityEntry(
        long seq,
        String tenantId,
        String eventType,
        String summary,
        String processingStatus,
        String billingStatus,
        String subscriptionId,
        String invoiceId,
        String planCode,
        Long amount,
        String currency,
        Long usageQuantity,
        Instant occurredAt,
        String stripeEventId) {}
