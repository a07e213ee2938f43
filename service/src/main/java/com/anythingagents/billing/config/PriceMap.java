package com.anythingagents.billing.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plan codes mapped to Stripe price ids, parsed from {@code STRIPE_PRODUCT_PRICE_MAP}: a JSON
 * object ({@code {"starter":"price_a"}}) or pairs ({@code starter=price_a,pro=price_b}).
 */
public record PriceMap(Map<String, String> pricesByPlan) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        Map<String, String> entries = new LinkedHashMap<>();
        String text = value.strip();
        if (text.startsWith("{") || text.startsWith("[") || text.startsWith("\"")) {
            parseJson(text, entries, problems);
        } else {
            parsePairs(text, entries, problems);
        }
        if (problems.size() == before && entries.isEmpty()) {
            problems.add("STRIPE_PRODUCT_PRICE_MAP maps no plans");
        }
        return problems.size() == before ? Optional.of(new PriceMap(entries)) : Optional.empty();
    }

    private static void parseJson(String text, Map<String, String> entries, List<String> problems) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException ex) {
            problems.add("STRIPE_PRODUCT_PRICE_MAP is not valid JSON: " + ex.getOriginalMessage());
            return;
        }
        if (!root.isObject()) {
            problems.add("STRIPE_PRODUCT_PRICE_MAP must be a JSON object of plan code to price id, got a JSON "
                    + root.getNodeType().name().toLowerCase());
            return;
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            JsonNode price = field.getValue();
            String priceId = price.isString() ? price.asString() : null;
            if (priceId == null) {
                problems.add("STRIPE_PRODUCT_PRICE_MAP entry \"" + field.getKey() + "\" must map to a price id string");
                continue;
            }
            add(field.getKey(), priceId, entries, problems);
        }
    }

    private static void parsePairs(String text, Map<String, String> entries, List<String> problems) {
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                problems.add("STRIPE_PRODUCT_PRICE_MAP entry \"" + pair.strip() + "\" is not plan=price");
                continue;
            }
            add(pair.substring(0, eq), pair.substring(eq + 1), entries, problems);
        }
    }

    private static void add(String rawPlan, String rawPrice, Map<String, String> entries, List<String> problems) {
        String plan = rawPlan.strip();
        String price = rawPrice.strip();
        String entry = "\"" + plan + "=" + price + "\"";
        if (plan.isEmpty()) {
            problems.add("STRIPE_PRODUCT_PRICE_MAP entry " + entry + " has an empty plan code");
        } else if (price.isEmpty()) {
            problems.add("STRIPE_PRODUCT_PRICE_MAP entry " + entry + " has an empty price id");
        } else if (!price.startsWith("price_")) {
            problems.add("STRIPE_PRODUCT_PRICE_MAP entry " + entry + " has a price id that does not start with price_");
        } else if (entries.containsKey(plan)) {
            problems.add("STRIPE_PRODUCT_PRICE_MAP maps plan \"" + plan + "\" twice");
        } else {
            entries.put(plan, price);
        }
    }
}
