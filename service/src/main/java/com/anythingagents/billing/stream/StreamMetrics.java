package com.anythingagents.billing.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live stream's meters: {@code billing_stream_clients} (open streams on this instance),
 * {@code billing_stream_frames_sent_total{kind}}, {@code billing_stream_disconnects_total{reason}},
 * {@code billing_stream_rejected_total} (per-tenant cap), {@code billing_stream_published_total},
 * {@code billing_stream_publish_failures_total}, {@code billing_stream_resubscriptions_total},
 * {@code billing_stream_redis_subscribed} (1 while this instance's subscription is up),
 * {@code billing_stream_catch_ups_total} and {@code billing_stream_fanout_dropped_total}.
 */
final class StreamMetrics {

    private final AtomicInteger clients = new AtomicInteger();

    private final AtomicBoolean subscribed = new AtomicBoolean();

    private final Map<SseFrames.Kind, Counter> frames = new EnumMap<>(SseFrames.Kind.class);

    private final Map<SseClient.CloseReason, Counter> disconnects = new EnumMap<>(SseClient.CloseReason.class);

    private final Counter rejected;

    private final Counter published;

    private final Counter publishFailures;

    private final Counter resubscriptions;

    private final Counter catchUps;

    private final Counter fanOutDropped;

    StreamMetrics(MeterRegistry registry) {
        Gauge.builder("billing.stream.clients", clients, AtomicInteger::get)
                .description("Open live-stream connections on this instance")
                .register(registry);
        Gauge.builder("billing.stream.redis.subscribed", subscribed, s -> s.get() ? 1 : 0)
                .description("1 while this instance's Redis subscription to billing activity is up")
                .register(registry);
        for (SseFrames.Kind kind : SseFrames.Kind.values()) {
            frames.put(
                    kind,
                    Counter.builder("billing.stream.frames.sent")
                            .description("Frames written to live-stream clients")
                            .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        for (SseClient.CloseReason reason : SseClient.CloseReason.values()) {
            disconnects.put(
                    reason,
                    Counter.builder("billing.stream.disconnects")
                            .description("Live-stream connections that ended, by reason")
                            .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        rejected = counter(registry, "billing.stream.rejected", "Connections refused by the per-tenant cap");
        published = counter(registry, "billing.stream.published", "Activity items published on Redis");
        publishFailures =
                counter(registry, "billing.stream.publish.failures", "Activity items whose Redis publication failed");
        resubscriptions =
                counter(registry, "billing.stream.resubscriptions", "Redis subscriptions re-established after a loss");
        catchUps = counter(registry, "billing.stream.catch.ups", "Reads of missed activity from Postgres");
        fanOutDropped = counter(
                registry, "billing.stream.fanout.dropped", "Hand-overs dropped because the fan-out queue was full");
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void connected() {
        clients.incrementAndGet();
    }

    void disconnected(SseClient.CloseReason reason) {
        clients.decrementAndGet();
        disconnects.get(reason).increment();
    }

    void sent(SseFrames.Kind kind) {
        frames.get(kind).increment();
    }

    void rejected() {
        rejected.increment();
    }

    void published() {
        published.increment();
    }

    void publishFailed() {
        publishFailures.increment();
    }

    void subscribed(boolean again) {
        subscribed.set(true);
        if (again) {
            resubscriptions.increment();
        }
    }

    void unsubscribed() {
        subscribed.set(false);
    }

    void catchUp() {
        catchUps.increment();
    }

    void fanOutDropped() {
        fanOutDropped.increment();
    }
}
