package com.anythingagents.billing.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * {@code stripe_webhook_events_total{event_type,result}}. Only verified events name their type:
 * anything else is {@code unknown}, so forged requests cannot grow the tag set.
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
        UNAVAILABLE
    }

    private final MeterRegistry registry;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String verifiedType, Result result) {
        String type = verifiedType != null && STRIPE_TYPE.matcher(verifiedType).matches() ? verifiedType : UNKNOWN_TYPE;
        String tag = result.name().toLowerCase(java.util.Locale.ROOT);
        counters.computeIfAbsent(
                        type + "|" + tag,
                        key -> Counter.builder("stripe.webhook.events")
                                .description("Stripe webhook deliveries by event type and outcome")
                                .tag("event_type", type)
                                .tag("result", tag)
                                .register(registry))
                .increment();
    }

    void count(Result result) {
        count(null, result);
    }
}
