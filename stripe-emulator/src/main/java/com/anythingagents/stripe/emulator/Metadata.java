package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Stripe metadata semantics: merge keys, an empty value unsets a key, {@code metadata=} clears. */
final class Metadata {

    private Metadata() {}

    static void apply(ObjectNode target, ApiRequest request) {
        ObjectNode metadata = target.get("metadata") instanceof ObjectNode o ? o : target.putObject("metadata");
        JsonNode given = request.params().get("metadata");
        if (given == null) {
            return;
        }
        if (given.isValueNode() && given.asString().isEmpty()) {
            metadata.removeAll();
            return;
        }
        if (!given.isObject()) {
            throw StripeException.invalid("metadata", "Invalid object");
        }
        for (Map.Entry<String, JsonNode> e : given.properties()) {
            if (e.getValue().asString().isEmpty()) {
                metadata.remove(e.getKey());
            } else {
                metadata.put(e.getKey(), e.getValue().asString());
            }
        }
    }

    /** Copies plain string fields that were sent; {@code ""} sets them back to null, as Stripe does. */
    static void copyStrings(ObjectNode target, ApiRequest request, String... fields) {
        for (String field : fields) {
            request.string(field).ifPresent(v -> {
                if (v.isEmpty()) {
                    target.putNull(field);
                } else {
                    target.put(field, v);
                }
            });
        }
    }
}
