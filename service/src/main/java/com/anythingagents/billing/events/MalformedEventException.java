package com.anythingagents.billing.events;

import java.util.Locale;

/** The bytes are not JSON, or not a Stripe event; the message says which, without echoing input. */
public final class MalformedEventException extends IllegalArgumentException {

    /** Why, as a bounded set (a metric tag); the message has the detail. */
    public enum Reason {
        EMPTY,
        BYTE_ORDER_MARK,
        NOT_UTF8,
        NOT_JSON,
        DUPLICATE_KEY,
        TOO_DEEP,
        NUMBER_OUT_OF_RANGE,
        NOT_AN_EVENT,
        INVALID_FIELD;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    MalformedEventException(Reason reason, String message) {
        // no stack trace: this is the caller's input, not a bug, and it is answered with a 400
        super(message, null);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
