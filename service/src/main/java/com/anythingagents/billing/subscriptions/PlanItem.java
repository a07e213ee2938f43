package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.config.PriceMap;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The item of a subscription that carries its plan: the first whose price is a mapped plan,
 * else the first licensed one (metered items carry usage, not the plan), else the first.
 */
final class PlanItem {

    private PlanItem() {}

    static Optional<JsonNode> of(JsonNode subscription, PriceMap prices) {
        JsonNode items = subscription.path("items").path("data");
        JsonNode licensed = null;
        for (JsonNode item : items) {
            if (prices.planFor(priceId(item)).isPresent()) {
                return Optional.of(item);
            }
            if (licensed == null
                    && !"metered"
                            .equals(item.path("price")
                                    .path("recurring")
                                    .path("usage_type")
                                    .asString(""))) {
                licensed = item;
            }
        }
        return Optional.ofNullable(licensed != null ? licensed : items.isEmpty() ? null : items.get(0));
    }

    static String priceId(JsonNode item) {
        JsonNode price = item.path("price");
        return price.isObject() ? price.path("id").asString("") : price.asString("");
    }
}
