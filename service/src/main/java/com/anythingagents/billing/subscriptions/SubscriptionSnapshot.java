package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.config.PriceMap;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The fields of a Stripe subscription this service keeps. Since API version 2025-03-31.basil the
 * current period lives on subscription items, not on the subscription: it is read from the plan
 * item (the first item whose price is a mapped plan, else the first item), which also gives the
 * price and the quantity.
 */
record SubscriptionSnapshot(
        String id,
        String customerId,
        String status,
        Optional<String> priceId,
        int quantity,
        Instant periodStart,
        Instant periodEnd,
        Instant trialEnd,
        boolean cancelAtPeriodEnd,
        Instant canceledAt,
        Instant endedAt,
        Instant created,
        boolean complete) {

    static SubscriptionSnapshot from(JsonNode s, PriceMap prices) {
        JsonNode items = s.path("items").path("data");
        JsonNode item = planItem(items, prices);
        JsonNode customer = s.path("customer");
        return new SubscriptionSnapshot(
                s.path("id").asString(),
                customer.isObject() ? customer.path("id").asString() : customer.asString(),
                s.path("status").asString(),
                Optional.ofNullable(priceId(item)),
                item.path("quantity").asInt(1),
                epoch(item.path("current_period_start")),
                epoch(item.path("current_period_end")),
                epoch(s.path("trial_end")),
                s.path("cancel_at_period_end").asBoolean(false),
                epoch(s.path("canceled_at")),
                epoch(s.path("ended_at")),
                epoch(s.path("created")),
                // a payload without items (or with more than one page of them) cannot be trusted
                items.isArray()
                        && !items.isEmpty()
                        && !s.path("items").path("has_more").asBoolean(false));
    }

    /** Stripe no longer knows the subscription: it is gone, which is canceled for this service. */
    SubscriptionSnapshot gone(Instant when) {
        return new SubscriptionSnapshot(
                id,
                customerId,
                "canceled",
                priceId,
                quantity,
                periodStart,
                periodEnd,
                trialEnd,
                false,
                canceledAt != null ? canceledAt : when,
                endedAt != null ? endedAt : when,
                created,
                true);
    }

    private static JsonNode planItem(JsonNode items, PriceMap prices) {
        for (JsonNode item : items) {
            String price = priceId(item);
            if (price != null && prices.planFor(price).isPresent()) {
                return item;
            }
        }
        return items.path(0);
    }

    private static String priceId(JsonNode item) {
        JsonNode price = item.path("price");
        return price.isObject() ? price.path("id").asString(null) : price.asString(null);
    }

    private static Instant epoch(JsonNode seconds) {
        return seconds.isIntegralNumber() ? Instant.ofEpochSecond(seconds.asLong()) : null;
    }
}
