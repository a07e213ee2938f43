package com.anythingagents.billing.events;

import java.util.Objects;

/**
 * What an event changed, normalized for the ledger and the live stream. The event's type, id and
 * time are added when it is recorded. Amounts are minor units of {@code currency}.
 */
public record BillingChange(
        String tenantId,
        String summary,
        String billingStatus,
        String subscriptionId,
        String invoiceId,
        String planCode,
        Long amount,
        String currency,
        Long usageQuantity) {

    public BillingChange {
        Objects.requireNonNull(summary, "summary");
    }

    public static BillingChange of(String tenantId, String summary) {
        return new BillingChange(tenantId, summary, null, null, null, null, null, null, null);
    }

    public BillingChange withStatus(String status) {
        return new BillingChange(
                tenantId, summary, status, subscriptionId, invoiceId, planCode, amount, currency, usageQuantity);
    }

    public BillingChange withSubscription(String id, String plan) {
        return new BillingChange(
                tenantId, summary, billingStatus, id, invoiceId, plan, amount, currency, usageQuantity);
    }

    public BillingChange withInvoice(String id, long minorUnits, String currencyCode) {
        return new BillingChange(
                tenantId,
                summary,
                billingStatus,
                subscriptionId,
                id,
                planCode,
                minorUnits,
                currencyCode,
                usageQuantity);
    }

    /** An amount that is not an invoice's (a charge, a refund), in minor units of {@code currencyCode}. */
    public BillingChange withAmount(long minorUnits, String currencyCode) {
        return new BillingChange(
                tenantId,
                summary,
                billingStatus,
                subscriptionId,
                invoiceId,
                planCode,
                minorUnits,
                currencyCode,
                usageQuantity);
    }
}
