package com.anythingagents.billing.customers;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** What a Checkout Session says about the tenant it was started for. */
final class CheckoutSession {

    private CheckoutSession() {}

    /** {@code metadata.tenant_id}, else {@code client_reference_id}: both are set by this service. */
    static Optional<String> tenant(JsonNode session) {
        return text(session.path("metadata").path("tenant_id")).or(() -> text(session.path("client_reference_id")));
    }

    static Optional<String> text(JsonNode node) {
        if (node.isObject()) {
            return text(node.path("id"));
        }
        return node.isString() && !node.asString().isBlank() ? Optional.of(node.asString()) : Optional.empty();
    }
}
