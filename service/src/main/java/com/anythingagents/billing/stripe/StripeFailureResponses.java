package com.anythingagents.billing.stripe;

import com.anythingagents.billing.web.ApiError;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one translation of a {@link StripeFailure} into the API's error envelope: declines are 402
 * with Stripe's decline code, refused requests 400 (409 for Stripe's conflicts) with Stripe's
 * message, a rejected API key 500 (the service is misconfigured, not the request), rate limits 503
 * and an unreachable or failing Stripe 502, both with {@code Retry-After}. Ahead of the general
 * handler, which would call these unexpected.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class StripeFailureResponses {

    static final String RATE_LIMITED_RETRY_AFTER_SECONDS = "2";

    static final String UNAVAILABLE_RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(StripeFailure.class)
    ResponseEntity<ApiError> failure(StripeFailure failure) {
        return response(failure);
    }

    static ResponseEntity<ApiError> response(StripeFailure failure) {
        if (failure instanceof StripeFailure.Declined declined) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("decline_code", declined.declineCode());
            return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED)
                    .body(new ApiError("card_declined", failure.getMessage(), details));
        }
        if (failure instanceof StripeFailure.Invalid invalid) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("stripe_code", invalid.code());
            boolean conflict = invalid.httpStatus() == HttpStatus.CONFLICT.value();
            return ResponseEntity.status(conflict ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST)
                    .body(new ApiError(
                            conflict ? "stripe_conflict" : "stripe_invalid_request", failure.getMessage(), details));
        }
        if (failure instanceof StripeFailure.IdempotencyConflict) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(new ApiError("idempotency_conflict", failure.getMessage()));
        }
        if (failure instanceof StripeFailure.Unauthorized) {
            // Stripe's own message names the key (masked); this one does not
            return ResponseEntity.internalServerError()
                    .body(new ApiError(
                            "stripe_configuration_error",
                            "Billing is misconfigured: Stripe rejected this service's API key"));
        }
        if (failure instanceof StripeFailure.RateLimited) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, RATE_LIMITED_RETRY_AFTER_SECONDS)
                    .body(new ApiError("stripe_rate_limited", "Stripe is rate limiting this service; retry shortly"));
        }
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
                .header(HttpHeaders.RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECONDS)
                .body(new ApiError(
                        "stripe_unavailable",
                        ((StripeFailure.Unavailable) failure).connectionFailed()
                                ? "Stripe could not be reached; retry shortly"
                                : "Stripe failed to answer; retry shortly"));
    }
}
