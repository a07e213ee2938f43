package com.anythingagents.stripe.emulator.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes Stripe's form encoding ({@code metadata[k]=v}, {@code items[0][price]=p},
 * {@code expand[]=x}) into a JSON tree whose leaves are strings, the way Stripe reads it.
 */
public final class FormDecoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FormDecoder() {}

    /** Decodes an {@code application/x-www-form-urlencoded} string (body or query). */
    public static ObjectNode decode(String form) {
        ObjectNode root = NODES.objectNode();
        if (form == null || form.isBlank()) {
            return root;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = urlDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : urlDecode(pair.substring(eq + 1));
            put(root, keyPath(key), value);
        }
        return (ObjectNode) indexedObjectsToArrays(root);
    }

    private static String urlDecode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** {@code items[0][price]} → [items, 0, price]; {@code expand[]} → [expand, ""]. */
    static List<String> keyPath(String key) {
        List<String> parts = new ArrayList<>();
        int open = key.indexOf('[');
        if (open < 0 || !key.endsWith("]")) {
            parts.add(key);
            return parts;
        }
        parts.add(key.substring(0, open));
        for (String seg : key.substring(open + 1, key.length() - 1).split("\\]\\[", -1)) {
            parts.add(seg);
        }
        return parts;
    }

    private static void put(ObjectNode root, List<String> path, String value) {
        ObjectNode node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            String seg = path.get(i);
            if (path.get(i + 1).isEmpty()) {
                // "a[]=v" appends; only valid as the last segment, which is how SDKs send arrays
                JsonNode existing = node.get(seg);
                ArrayNode array = existing instanceof ArrayNode a ? a : node.putArray(seg);
                array.add(value);
                return;
            }
            JsonNode child = node.get(seg);
            node = child instanceof ObjectNode o ? o : node.putObject(seg);
        }
        node.put(path.get(path.size() - 1), value);
    }

    /** Objects whose keys are all integers ({@code items[0]}, {@code items[1]}) become arrays. */
    private static JsonNode indexedObjectsToArrays(JsonNode node) {
        if (node instanceof ArrayNode array) {
            ArrayNode copy = NODES.arrayNode();
            array.forEach(v -> copy.add(indexedObjectsToArrays(v)));
            return copy;
        }
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        ObjectNode converted = NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            converted.set(e.getKey(), indexedObjectsToArrays(e.getValue()));
        }
        if (!converted.isEmpty() && converted.propertyNames().stream().allMatch(k -> k.matches("\\d+"))) {
            ArrayNode array = NODES.arrayNode();
            converted.propertyNames().stream()
                    .sorted((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))
                    .forEach(k -> array.add(converted.get(k)));
            return array;
        }
        return converted;
    }
}
