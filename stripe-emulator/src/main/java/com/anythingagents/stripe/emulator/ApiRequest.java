package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One decoded API call: path parameters plus the form/query parameters as a string tree. */
record ApiRequest(
        String method,
        String path,
        Map<String, String> pathParams,
        ObjectNode params,
        String requestId,
        String idempotencyKey) {

    /**
     * A request the emulator makes of itself (a completed Checkout Session creating its
     * subscription, the billing portal updating one), so those paths run the API's own code.
     */
    static ApiRequest internal(String path, Map<String, String> pathParams, ObjectNode params) {
        return new ApiRequest("POST", path, pathParams, params, null, null);
    }

    String pathParam(String name) {
        return pathParams.get(name);
    }

    Optional<String> string(String name) {
        JsonNode node = params.get(name);
        return node == null || !node.isValueNode() ? Optional.empty() : Optional.of(node.asString());
    }

    String requireString(String name) {
        return string(name).filter(s -> !s.isEmpty()).orElseThrow(() -> StripeException.missing(name));
    }

    Optional<Long> integer(String name) {
        return string(name).map(v -> parseLong(name, v));
    }

    Optional<Boolean> bool(String name) {
        return string(name).map(Boolean::parseBoolean);
    }

    Optional<JsonNode> node(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** {@code expand[]=a&expand[]=b} and {@code expand[0]=a} both arrive as an array. */
    List<String> list(String name) {
        List<String> values = new ArrayList<>();
        JsonNode node = params.get(name);
        if (node != null && node.isArray()) {
            node.forEach(v -> values.add(v.asString()));
        } else if (node != null && node.isValueNode()) {
            values.add(node.asString());
        }
        return values;
    }

    static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw StripeException.invalid(name, "Invalid integer: " + value);
        }
    }
}
