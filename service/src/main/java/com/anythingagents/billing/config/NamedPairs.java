package com.anythingagents.billing.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A variable that maps names to names, written as a JSON object ({@code {"starter":"price_a"}}) or
 * as pairs ({@code starter=price_a,pro=price_b}); both forms work from the environment and from env
 * files. One message per bad entry, in the variable's own words.
 * @param variable the variable's name, e.g. {@code STRIPE_PRODUCT_PRICE_MAP}
 * @param key what a key is, e.g. {@code plan code}
 * @param value what a value is, e.g. {@code price id}
 * @param pairForm how one pair is written, e.g. {@code plan=price}
 */
record NamedPairs(String variable, String key, String value, String pairForm) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Parses {@code text}; {@code valueProblem} adds a message for a value it rejects (and answers
     * false), beyond the checks every form gets (empty key or value, a key given twice).
     * @return the entries in their given order; complete only when no problem was added
     */
    Map<String, String> parse(String text, List<String> problems, BiPredicate<String, String> valueProblem) {
        Map<String, String> entries = new LinkedHashMap<>();
        String stripped = text.strip();
        if (stripped.startsWith("{") || stripped.startsWith("[") || stripped.startsWith("\"")) {
            parseJson(stripped, entries, problems, valueProblem);
        } else {
            for (String pair : stripped.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    problems.add(variable + " entry \"" + pair.strip() + "\" is not " + pairForm);
                    continue;
                }
                add(pair.substring(0, eq), pair.substring(eq + 1), entries, problems, valueProblem);
            }
        }
        return entries;
    }

    private void parseJson(
            String text, Map<String, String> entries, List<String> problems, BiPredicate<String, String> valueProblem) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException ex) {
            problems.add(variable + " is not valid JSON: " + ex.getOriginalMessage());
            return;
        }
        if (!root.isObject()) {
            problems.add(variable + " must be a JSON object of " + key + " to " + value + ", got a JSON "
                    + root.getNodeType().name().toLowerCase());
            return;
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            JsonNode given = field.getValue();
            if (!given.isString()) {
                problems.add(variable + " entry \"" + field.getKey() + "\" must map to a " + value + " string");
                continue;
            }
            add(field.getKey(), given.asString(), entries, problems, valueProblem);
        }
    }

    private void add(
            String rawKey,
            String rawValue,
            Map<String, String> entries,
            List<String> problems,
            BiPredicate<String, String> valueProblem) {
        String k = rawKey.strip();
        String v = rawValue.strip();
        String entry = "\"" + k + "=" + v + "\"";
        if (k.isEmpty()) {
            problems.add(variable + " entry " + entry + " has an empty " + key);
        } else if (v.isEmpty()) {
            problems.add(variable + " entry " + entry + " has an empty " + value);
        } else if (!valueProblem.test(entry, v)) {
            return;
        } else if (entries.containsKey(k)) {
            problems.add(variable + " maps " + pairForm.substring(0, pairForm.indexOf('=')) + " \"" + k + "\" twice");
        } else {
            entries.put(k, v);
        }
    }
}
