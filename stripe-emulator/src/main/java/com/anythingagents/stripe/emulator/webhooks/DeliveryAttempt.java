package com.anythingagents.stripe.emulator.webhooks;

import java.time.Instant;
import java.util.Optional;

/**
 * One recorded webhook POST: which endpoint, which event, the attempt number (1-based) and either
 * the HTTP status the receiver answered or the error (timeout, refused connection).
 */
public record DeliveryAttempt(
        String endpointId,
        String eventId,
        String eventType,
        int attempt,
        Integer httpStatus,
        String error,
        Instant timestamp) {

    /** True when the receiver answered 2xx. */
    public boolean succeeded() {
        return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
    }

    public Optional<Integer> status() {
        return Optional.ofNullable(httpStatus);
    }
}
