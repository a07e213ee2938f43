package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.StripeObjectRef;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Stripe objects read for one batch, before its transactions: the answer, or the failure, per object. */
final class Fetched {

    /** @param failure set when the read failed; {@code current} is then empty */
    record Result(Optional<JsonNode> current, RuntimeException failure) {}

    private final Map<StripeObjectRef, Result> results = new HashMap<>();

    boolean has(StripeObjectRef object) {
        return results.containsKey(object);
    }

    void put(StripeObjectRef object, Result result) {
        results.put(object, result);
    }

    /**
     * @throws CurrentNeeded when the object was not read yet (the worker reads it and applies again)
     * @throws RuntimeException the read's own failure, so the event that needed it fails with it
     */
    Optional<JsonNode> current(StripeObjectRef object) {
        Result result = results.get(object);
        if (result == null) {
            throw new CurrentNeeded(object);
        }
        if (result.failure() != null) {
            throw result.failure();
        }
        return result.current();
    }

    /** A handler asked for an object that was not read before the transaction: roll back, read it, apply again. */
    static final class CurrentNeeded extends RuntimeException {

        private final transient StripeObjectRef object;

        CurrentNeeded(StripeObjectRef object) {
            super("Stripe's current " + object.type() + " " + object.id() + " is needed", null, false, false);
            this.object = object;
        }

        StripeObjectRef object() {
            return object;
        }
    }
}
