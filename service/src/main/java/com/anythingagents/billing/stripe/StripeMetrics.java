package com.anythingagents.billing.stripe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@code stripe_api_calls_seconds{operation, outcome}}: every call the gateway makes, by Stripe
 * operation ({@code subscriptions.create}, {@code v2.billing.meter_event_stream.create}, …) and
 * outcome ({@code ok}, {@code declined}, {@code invalid}, {@code rate_limited}, {@code unavailable},
 * {@code unauthorized}, {@code idempotency_conflict}); count and latency in one timer.
 */
final class StripeMetrics {

    static final String OK = "ok";

    private final MeterRegistry registry;

    StripeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String operation, String outcome, Duration elapsed) {
        Timer.builder("stripe.api.calls")
                .description("Calls to Stripe by operation and outcome")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(elapsed);
    }

    static String outcome(StripeFailure failure) {
        if (failure instanceof StripeFailure.Declined) {
            return "declined";
        }
        if (failure instanceof StripeFailure.Invalid) {
            return "invalid";
        }
        if (failure instanceof StripeFailure.RateLimited) {
            return "rate_limited";
        }
        if (failure instanceof StripeFailure.Unauthorized) {
            return "unauthorized";
        }
        if (failure instanceof StripeFailure.IdempotencyConflict) {
            return "idempotency_conflict";
        }
        return "unavailable";
    }
}
