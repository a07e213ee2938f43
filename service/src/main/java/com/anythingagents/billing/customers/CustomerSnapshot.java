package com.anythingagents.billing.customers;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** The fields of a Stripe customer this service keeps; {@code created} is null when not given. */
record CustomerSnapshot(String id, String email, boolean deleted, Instant created) {

    /** A retrieved deleted customer is a stub with {@code "deleted": true} (and no created). */
    static CustomerSnapshot from(JsonNode c) {
        JsonNode created = c.path("created");
        return new CustomerSnapshot(
                c.path("id").asString(),
                c.path("email").asString(null),
                c.path("deleted").asBoolean(false),
                created.isIntegralNumber() ? Instant.ofEpochSecond(created.asLong()) : null);
    }

    CustomerSnapshot asDeleted() {
        return new CustomerSnapshot(id, email, true, created);
    }
}
