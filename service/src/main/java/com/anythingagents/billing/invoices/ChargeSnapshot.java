package com.anythingagents.billing.invoices;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The fields of a Stripe charge this service keeps; amounts in minor units of {@code currency}. */
record ChargeSnapshot(
        String id,
        String customerId,
        Optional<String> invoiceId,
        String status,
        String currency,
        long amount,
        long amountRefunded,
        String failureCode,
        String failureMessage) {

    static ChargeSnapshot from(JsonNode c) {
        return new ChargeSnapshot(
                c.path("id").asString(),
                idOf(c.path("customer")).orElse(null),
                // charges lost their invoice field in API 2025-03-31.basil; older payloads still carry it
                idOf(c.path("invoice")),
                c.path("status").asString(),
                c.path("currency").asString(),
                c.path("amount").asLong(0),
                c.path("amount_refunded").asLong(0),
                c.path("failure_code").asString(null),
                c.path("failure_message").asString(null));
    }

    boolean fullyRefunded() {
        return amountRefunded > 0 && amountRefunded >= amount;
    }

    private static Optional<String> idOf(JsonNode node) {
        if (node.isObject()) {
            return Optional.ofNullable(node.path("id").asString(null));
        }
        return node.isString() ? Optional.of(node.asString()) : Optional.empty();
    }
}
