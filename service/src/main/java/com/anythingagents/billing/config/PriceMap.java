package com.anythingagents.billing.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plan codes mapped to Stripe price ids, parsed from {@code STRIPE_PRODUCT_PRICE_MAP}: a JSON
 * object ({@code {"starter":"price_a"}}) or pairs ({@code starter=price_a,pro=price_b}).
 */
public record PriceMap(Map<String, String> pricesByPlan) {

    private static final NamedPairs FORM =
            new NamedPairs("STRIPE_PRODUCT_PRICE_MAP", "plan code", "price id", "plan=price");

    public PriceMap {
        pricesByPlan = Collections.unmodifiableMap(new LinkedHashMap<>(pricesByPlan));
    }

    public Optional<String> priceFor(String planCode) {
        return Optional.ofNullable(pricesByPlan.get(planCode));
    }

    /** The plan whose price this is, for events that only carry a price id. */
    public Optional<String> planFor(String priceId) {
        return pricesByPlan.entrySet().stream()
                .filter(e -> e.getValue().equals(priceId))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    public int size() {
        return pricesByPlan.size();
    }

    /**
     * Parses the variable's value, adding one message per bad entry to {@code problems}.
     * @return the map, or empty when any entry was rejected
     */
    static Optional<PriceMap> parse(String value, List<String> problems) {
        int before = problems.size();
        Map<String, String> entries = FORM.parse(value, problems, (entry, price) -> {
            if (!price.startsWith("price_")) {
                problems.add(
                        "STRIPE_PRODUCT_PRICE_MAP entry " + entry + " has a price id that does not start with price_");
                return false;
            }
            return true;
        });
        if (problems.size() == before && entries.isEmpty()) {
            problems.add("STRIPE_PRODUCT_PRICE_MAP maps no plans");
        }
        return problems.size() == before ? Optional.of(new PriceMap(entries)) : Optional.empty();
    }
}
