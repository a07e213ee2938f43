package com.anythingagents.billing.web;

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

    public HttpStatus status() {
        return status;
    }

    ApiError toApiError() {
        return new ApiError(error, getMessage(), details);
    }
}
