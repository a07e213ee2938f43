package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Injected faults: the next {@code count} matching calls get a status and/or extra latency. */
final class Faults {

    record Fault(String method, String pathPrefix, int status, long latencyMs) {}

    private static final class Armed {
        final Fault fault;
        int remaining;

        Armed(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final List<Armed> armed = new ArrayList<>();

    synchronized void add(Fault fault, int count) {
        armed.add(new Armed(fault, count));
    }

    /** Consumes one use of the first fault matching this call, if any. */
    synchronized Optional<Fault> take(String method, String path) {
        for (Armed a : armed) {
            boolean methodMatches = a.fault.method() == null || a.fault.method().equalsIgnoreCase(method);
            if (methodMatches && path.startsWith(a.fault.pathPrefix()) && a.remaining > 0) {
                a.remaining--;
                return Optional.of(a.fault);
            }
        }
        return Optional.empty();
    }

    synchronized void clear() {
        armed.clear();
    }

    /**
     * Applies the first armed fault for this call, if any: sleeps its latency (never under the
     * store lock), then throws its status as Stripe's error.
     */
    void apply(String method, String path) {
        Optional<Fault> fault = take(method, path);
        if (fault.isEmpty()) {
            return;
        }
        sleep(fault.get().latencyMs());
        if (fault.get().status() > 0) {
            throw injected(fault.get().status());
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis); // deliberate: this is the injected slow response
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static StripeException injected(int status) {
        return switch (status) {
            case 429 ->
                new StripeException(
                        429,
                        "invalid_request_error",
                        "rate_limit",
                        null,
                        "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.");
            case 402 -> StripeException.card("card_declined", "generic_decline", "Your card was declined.");
            case 401 -> new StripeException(401, "invalid_request_error", null, null, "Invalid API Key provided.");
            default ->
                status >= 500
                        ? new StripeException(
                                status,
                                "api_error",
                                null,
                                null,
                                "Something went wrong on Stripe's end (injected fault).")
                        : new StripeException(
                                status, "invalid_request_error", null, null, "Injected fault " + status + ".");
        };
    }
}
