package com.anythingagents.billing.customers;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Reading ids and texts from Stripe objects, which may expand an id into an object. */
final class CheckoutSession {

    private CheckoutSession() {}

    static Optional<String> text(JsonNode node) {
        if (node.isObject()) {
            return text(node.path("id"));
        }
        return node.isString() && !node.asString().isBlank() ? Optional.of(node.asString()) : Optional.empty();
    }
}
