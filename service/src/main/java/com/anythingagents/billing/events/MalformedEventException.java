package com.anythingagents.billing.events;

/** The bytes are not JSON, or not a Stripe event; the message says which, without echoing input. */
public final class MalformedEventException extends IllegalArgumentException {

    MalformedEventException(String message) {
        super(message);
    }
}
