package com.anythingagents.billing.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** An expected failure of a request that maps to an HTTP status and an error code. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    private final String error;

    private final Map<String, Object> details;

    public ApiException(HttpStatus status, String error, String message) {
        this(status, error, message, null);
    }

    public ApiException(HttpStatus status, String error, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.error = error;
        this.details = details;
    }

    /**
     * 422 {@code validation_failed}, the shape every refused field has (bean validation's too):
     * {@code details.fields} maps each field to its problem.
     */
    public static ApiException validationFailed(String message, Map<String, String> fields) {
        return new ApiException(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "validation_failed",
                message,
                Map.of("fields", Collections.unmodifiableMap(new LinkedHashMap<>(fields))));
    }

    /** 422 {@code validation_failed} for one field: "{field} {problem}". */
    public static ApiException invalidField(String field, String problem) {
        return validationFailed(field + " " + problem, Map.of(field, problem));
    }

    /**
     * 409 {@code no_customer}: the tenant has no Stripe customer yet. A conflict with the tenant's
     * state (start a plan first), on every route that needs one.
     */
    public static ApiException noCustomer() {
        return new ApiException(
                HttpStatus.CONFLICT,
                "no_customer",
                "The tenant has no Stripe customer yet: start a plan (or check out) first");
    }

    public HttpStatus status() {
        return status;
    }

    ApiError toApiError() {
        return new ApiError(error, getMessage(), details);
    }
}
