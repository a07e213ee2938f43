package com.anythingagents.billing.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The one error envelope of the HTTP API: {@code {error, message, details?}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, Map<String, Object> details) {

    public ApiError(String error, String message) {
        this(error, message, null);
    }
}
