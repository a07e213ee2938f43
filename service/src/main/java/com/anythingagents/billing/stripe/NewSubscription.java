package com.anythingagents.billing.stripe;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A subscription to create for a tenant: the plan's price with its quantity, plus the metered
 * prices of the usage features (no quantity: Stripe bills them from meter events). Both the
 * subscription's and this service's records carry {@code metadata.tenant_id} and {@code plan_code}.
 */
public record NewSubscription(
        String customerId,
        String tenantId,
        String planCode,
        String priceId,
        long quantity,
        List<String> meteredPriceIds,
        Optional<Integer> trialDays) {

    public NewSubscription {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(priceId, "priceId");
        meteredPriceIds = List.copyOf(meteredPriceIds);
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1");
        }
    }
}
