package com.anythingagents.billing.stripe;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A recurring price to create: {@code unitAmount} in minor units of {@code currency} per
 * {@code interval} (licensed), or per unit of a Billing Meter's usage when {@code meterId} is set.
 * The {@code lookupKey} finds it again without keeping its id anywhere.
 */
public record NewPrice(
        String productId,
        String currency,
        long unitAmount,
        String interval,
        String lookupKey,
        Optional<String> meterId,
        Map<String, String> metadata) {

    public NewPrice {
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(lookupKey, "lookupKey");
        metadata = Map.copyOf(metadata);
        if (unitAmount < 0) {
            throw new IllegalArgumentException("unitAmount must not be negative");
        }
    }
}
