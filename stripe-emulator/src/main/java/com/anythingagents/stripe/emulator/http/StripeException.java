package com.anythingagents.stripe.emulator.http;

/**
 * A Stripe API error, rendered as {@code {"error":{"type","code","message",...}}} with its HTTP
 * status.
 */
public final class StripeException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final String declineCode;

    public StripeException(int status, String type, String code, String param, String message) {
        this(status, type, code, param, message, null);
    }

    private StripeException(int status, String type, String code, String param, String message, String declineCode) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.declineCode = declineCode;
    }

    /** 402 card_error, as Stripe answers a declined card. */
    public static StripeException card(String code, String declineCode, String message) {
        return new StripeException(402, "card_error", code, null, message, declineCode);
    }

    /** 400 invalid_request_error, optionally naming the offending parameter. */
    public static StripeException invalid(String param, String message) {
        return new StripeException(400, "invalid_request_error", "parameter_invalid", param, message);
    }

    public static StripeException missing(String param) {
        return new StripeException(
                400, "invalid_request_error", "parameter_missing", param, "Missing required param: " + param + ".");
    }

    public static StripeException notFound(String kind, String id) {
        return new StripeException(
                404, "invalid_request_error", "resource_missing", "id", "No such " + kind + ": '" + id + "'");
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public String declineCode() {
        return declineCode;
    }
}
