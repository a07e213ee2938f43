package com.anythingagents.billing.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;

/**
 * Stripe failures as the service reasons about them, translated from the SDK in one place.
 * Each type carries the facts a caller acts on; the raw SDK exception is the cause.
 */
public abstract sealed class StripeFailure extends RuntimeException {

    StripeFailure(String message, StripeException cause) {
        super(message, cause);
    }

    public static StripeFailure from(StripeException ex) {
        String message = ex.getStripeError() != null && ex.getStripeError().getMessage() != null
                ? ex.getStripeError().getMessage()
                : ex.getMessage();
        if (ex instanceof CardException card) {
            return new Declined(message, card.getDeclineCode(), card);
        }
        if (ex instanceof RateLimitException || Integer.valueOf(429).equals(ex.getStatusCode())) {
            return new RateLimited(message, ex);
        }
        if (ex instanceof AuthenticationException || ex instanceof PermissionException) {
            return new Unauthorized(message, ex);
        }
        if (ex instanceof IdempotencyException) {
            return new IdempotencyConflict(message, ex);
        }
        if (ex instanceof InvalidRequestException invalid) {
            return new Invalid(
                    message,
                    invalid.getCode(),
                    invalid.getStatusCode() != null ? invalid.getStatusCode() : 400,
                    invalid);
        }
        return new Unavailable(message, ex instanceof ApiConnectionException, ex);
    }

    /** The card was declined; {@code declineCode} is Stripe's, e.g. {@code insufficient_funds}. */
    public static final class Declined extends StripeFailure {

        private final String declineCode;

        Declined(String message, String declineCode, StripeException cause) {
            super(message, cause);
            this.declineCode = declineCode;
        }

        public String declineCode() {
            return declineCode;
        }
    }

    /** Stripe refused the request as invalid; {@code code} is Stripe's, e.g. {@code resource_missing}. */
    public static final class Invalid extends StripeFailure {

        private final String code;

        private final int httpStatus;

        Invalid(String message, String code, int httpStatus, StripeException cause) {
            super(message, cause);
            this.code = code;
            this.httpStatus = httpStatus;
        }

        public String code() {
            return code;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    /**
     * Whether Stripe may have done the work even though no answer came back (a timeout, a 5xx, a
     * lost connection): the same request must be retried with the same idempotency key, never
     * with a new one.
     */
    public boolean outcomeUnknown() {
        return this instanceof Unavailable;
    }

    /**
     * The key is wrong, revoked or lacks a permission: a configuration problem of this service,
     * not of the request (its message never contains the key).
     */
    public static final class Unauthorized extends StripeFailure {

        Unauthorized(String message, StripeException cause) {
            super(message, cause);
        }
    }

    /** Too many requests; retry later. */
    public static final class RateLimited extends StripeFailure {

        RateLimited(String message, StripeException cause) {
            super(message, cause);
        }
    }

    /** The same idempotency key was used with different parameters. */
    public static final class IdempotencyConflict extends StripeFailure {

        IdempotencyConflict(String message, StripeException cause) {
            super(message, cause);
        }
    }

    /** Stripe could not be reached or failed (5xx, timeouts); safe to retry. */
    public static final class Unavailable extends StripeFailure {

        private final boolean connection;

        Unavailable(String message, boolean connection, StripeException cause) {
            super(message, cause);
            this.connection = connection;
        }

        public boolean connectionFailed() {
            return connection;
        }
    }
}
