package com.anythingagents.billing.subscriptions;

import java.time.Instant;

/**
 * A tenant's subscription as the API shows it; {@code status} is always Stripe's own
 * ({@code trialing}, {@code active}, {@code incomplete}, {@code past_due}, {@code canceled}, …).
 */
public record Subscription(
        String stripeSubscriptionId,
        String stripeCustomerId,
        String status,
        String planCode,
        String stripePriceId,
        int quantity,
        Instant currentPeriodStart,
        Instant currentPeriodEnd,
        Instant trialEnd,
        boolean cancelAtPeriodEnd,
        Instant canceledAt,
        Instant endedAt) {

    /** Whether it still bills, or may once paid: a tenant has at most one such subscription. */
    public boolean live() {
        return !"canceled".equals(status) && !"incomplete_expired".equals(status);
    }
}
