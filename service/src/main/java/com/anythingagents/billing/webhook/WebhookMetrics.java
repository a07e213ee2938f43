package com.anythingagents.billing.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * {@code stripe_webhook_events_total{event_type,result}}: every delivery by outcome. Only verified
 * events name their type: anything else is {@code unknown}, so forged requests cannot grow the tag
 * set. {@code stripe_webhook_rejected_total{reason}}: why signed deliveries were refused, from a
 * fixed set of reasons.
 */
@Component
class WebhookMetrics {

    static final String UNKNOWN_TYPE = "unknown";

    private static final Pattern STRIPE_TYPE = Pattern.compile("[a-z0-9_.]{1,80}");

    enum Result {
        RECEIVED,
        DUPLICATE,
        INVALID_SIGNATURE,
        REJECTED,
        TOO_LARGE,
        TIMED_OUT,
        BUSY,
        ABORTED,
        UNAVAILABLE,
        ERROR;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;

    // by type, one slot per result: no key built per delivery
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();

    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String verifiedType, Result result) {
        String type = verifiedType != null && STRIPE_TYPE.matcher(verifiedType).matches() ? verifiedType : UNKNOWN_TYPE;
        Counter[] byResult = counters.computeIfAbsent(type, t -> new Counter[Result.values().length]);
        Counter counter = byResult[result.ordinal()];
        if (counter == null) {
            // a race registers the same meter twice: the registry returns the one it has
            counter = Counter.builder("stripe.webhook.events")
                    .description("Stripe webhook deliveries by event type and outcome")
                    .tag("event_type", type)
                    .tag("result", result.tag())
                    .register(registry);
            byResult[result.ordinal()] = counter;
        }
        counter.increment();
    }

    void count(Result result) {
        count(null, result);
    }

    /** A signed delivery refused; {@code reason} comes from a fixed set (never from the request). */
    void rejected(String reason) {
        count(Result.REJECTED);
        rejections
                .computeIfAbsent(
                        reason,
                        r -> Counter.builder("stripe.webhook.rejected")
                                .description("Signed Stripe webhook deliveries refused, by reason")
                                .tag("reason", r)
                                .register(registry))
                .increment();
    }
}
