package com.anythingagents.stripe.emulator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper and node factory of the emulator. */
final class StripeJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StripeJson() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    static ObjectNode parse(byte[] json) {
        if (json.length == 0) {
            return object();
        }
        return (ObjectNode) MAPPER.readTree(json);
    }

    /** A Stripe list object: {@code {"object":"list","data":[],"has_more":false,"url":...}}. */
    static ObjectNode list(String url, ArrayNode data, boolean hasMore) {
        ObjectNode list = object();
        list.put("object", "list");
        list.set("data", data);
        list.put("has_more", hasMore);
        list.put("url", url);
        return list;
    }
}
