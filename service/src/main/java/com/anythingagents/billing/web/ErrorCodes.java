package com.anythingagents.billing.web;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/** The error code for a bare status: {@code not_found}, {@code method_not_allowed}, … */
final class ErrorCodes {

    private ErrorCodes() {}

    static String of(HttpStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
