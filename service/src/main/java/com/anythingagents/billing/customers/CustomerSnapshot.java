package com.anythingagents.billing.customers;

import tools.jackson.databind.JsonNode;

/** The fields of a Stripe customer this service keeps. */
record CustomerSnapshot(String id, String email, boolean deleted) {

    /** A retrieved deleted customer is a stub with {@code "deleted": true}. */
    static CustomerSnapshot from(JsonNode c) {
        return new CustomerSnapshot(
                c.path("id").asString(),
                c.path("email").asString(null),
                c.path("deleted").asBoolean(false));
    }

    CustomerSnapshot asDeleted() {
        return new CustomerSnapshot(id, email, true);
    }
}
