package com.anythingagents.stripe.emulator;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code expand[]}: replaces id strings at dotted paths (through lists' {@code data}) by objects. */
final class Expander {

    private final Store store;

    Expander(Store store) {
        this.store = store;
    }

    /** Works on a copy: the stored object keeps its ids. */
    JsonNode expand(JsonNode response, List<String> paths) {
        if (paths.isEmpty() || !(response instanceof ObjectNode object)) {
            return response;
        }
        ObjectNode copy = object.deepCopy();
        paths.forEach(p -> walk(copy, List.of(p.split("\\.")), 0));
        return copy;
    }

    private void walk(JsonNode node, List<String> path, int depth) {
        if (node.isArray()) {
            node.forEach(element -> walk(element, path, depth));
            return;
        }
        if (!(node instanceof ObjectNode object) || depth >= path.size()) {
            return;
        }
        String field = path.get(depth);
        JsonNode child = object.get(field);
        if (child == null) {
            return;
        }
        if (depth == path.size() - 1) {
            if (child.isString()) {
                store.findById(child.asString()).ifPresent(found -> object.set(field, found.deepCopy()));
            }
            return;
        }
        walk(child, path, depth + 1);
    }
}
