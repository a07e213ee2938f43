package com.anythingagents.billing.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What makes two requests "the same" under one Idempotency-Key: the route and the JSON body as
 * data (member order and whitespace do not matter), hashed. A body that is not JSON counts byte
 * for byte.
 */
final class RequestFingerprint {

    private RequestFingerprint() {}

    static String of(String route, byte[] body, JsonMapper json) {
        String canonical;
        try {
            canonical = body.length == 0 ? "" : json.writeValueAsString(canonical(json.readTree(body)));
        } catch (JacksonException ex) {
            canonical = "raw:" + HexFormat.of().formatHex(sha256(body));
        }
        return HexFormat.of().formatHex(sha256((route + "\n" + canonical).getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            sorted.forEach(object::set);
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> array.add(canonical(item)));
            return array;
        }
        return node;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
    }
}
