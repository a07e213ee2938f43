package com.anythingagents.billing.activity;

import java.time.Instant;

/**
 * One normalized billing activity item as stored; {@code seq} orders a tenant's items and is the
 * id live-stream clients resume from. Amounts are minor units of {@code currency}.
 */
record ActivityEntry(
        long seq,
        String tenantId,
        String eventType,
        String summary,
        String processingStatus,
        String billingStatus,
        String stripeEventId,
        String subscriptionId,
        String invoiceId,
        String planCode,
        Long amount,
        String currency,
        Long usageQuantity,
        Instant occurredAt) {}
