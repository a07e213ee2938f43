package com.anythingagents.billing.stripe;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A hosted Checkout Session in subscription mode for the tenant's customer: the tenant is both its
 * {@code client_reference_id} and {@code metadata.tenant_id}, and the subscription it starts carries
 * {@code metadata.tenant_id} and {@code plan_code}.
 */
public record NewCheckoutSession(
        String customerId,
        String tenantId,
        String planCode,
        String priceId,
        long quantity,
        List<String> meteredPriceIds,
        URI successUrl,
        URI cancelUrl) {

    public NewCheckoutSession {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(priceId, "priceId");
        Objects.requireNonNull(successUrl, "successUrl");
        Objects.requireNonNull(cancelUrl, "cancelUrl");
        meteredPriceIds = List.copyOf(meteredPriceIds);
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1");
        }
    }
}
