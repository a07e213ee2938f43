package com.anythingagents.billing.events;

import java.util.Objects;

/** A Stripe object the worker can read as Stripe has it now, e.g. to settle a tie in event time. */
public record StripeObjectRef(Type type, String id) {

    /** The kinds of objects handlers keep local rows of. */
    public enum Type {
        CUSTOMER,
        SUBSCRIPTION,
        INVOICE,
        CHARGE
    }

    public StripeObjectRef {
        Objects.requireNonNull(type, "type");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a Stripe object id is required");
        }
    }

    public static StripeObjectRef customer(String id) {
        return new StripeObjectRef(Type.CUSTOMER, id);
    }

    public static StripeObjectRef subscription(String id) {
        return new StripeObjectRef(Type.SUBSCRIPTION, id);
    }

    public static StripeObjectRef invoice(String id) {
        return new StripeObjectRef(Type.INVOICE, id);
    }

    public static StripeObjectRef charge(String id) {
        return new StripeObjectRef(Type.CHARGE, id);
    }
}
