package com.anythingagents.stripe.emulator.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers signed events asynchronously. Each endpoint has its own single-thread lane, so first
 * attempts reach one endpoint in creation order and a slow receiver cannot stall the others;
 * retries wait on a shared scheduler with exponential backoff and then rejoin the lane.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final RetryPolicy policy;
    private final Clock wallClock;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Map<String, ExecutorService> lanes = new ConcurrentHashMap<>();
    private final List<DeliveryAttempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** {@code wallClock} stamps signatures: receivers check them against real time, not ours. */
    public WebhookDispatcher(RetryPolicy policy, Clock wallClock) {
        this.policy = policy;
        this.wallClock = wallClock;
        this.http = HttpClient.newBuilder().connectTimeout(policy.timeout()).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("stripe-emulator-webhook-retry"));
    }

    /** Queues the first attempt; the payload bytes are signed and sent exactly as given. */
    public void deliver(WebhookTarget target, String eventId, String eventType, byte[] payload) {
        submit(new Delivery(target, eventId, eventType, payload), 1);
    }

    public List<DeliveryAttempt> attempts() {
        return List.copyOf(attempts);
    }

    public void clearAttempts() {
        attempts.clear();
    }

    private void submit(Delivery delivery, int attempt) {
        if (closed.get()) {
            return;
        }
        ExecutorService lane = lanes.computeIfAbsent(
                delivery.target().endpointId(),
                id -> Executors.newSingleThreadExecutor(daemon("stripe-emulator-webhook-" + id)));
        try {
            lane.execute(() -> attempt(delivery, attempt));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("dispatcher closed, dropping {}", delivery.eventId());
        }
    }

    private void attempt(Delivery delivery, int attempt) {
        DeliveryAttempt recorded;
        try {
            HttpResponse<Void> response = http.send(request(delivery), HttpResponse.BodyHandlers.discarding());
            recorded = record(delivery, attempt, response.statusCode(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            recorded = record(delivery, attempt, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (!recorded.succeeded() && attempt < policy.maxAttempts() && !closed.get()) {
            Duration delay = policy.delayBefore(attempt + 1);
            scheduler.schedule(() -> submit(delivery, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private HttpRequest request(Delivery delivery) {
        long now = wallClock.instant().getEpochSecond();
        return HttpRequest.newBuilder(URI.create(delivery.target().url()))
                .timeout(policy.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                .header("Stripe-Signature", Signature.header(delivery.target().secret(), now, delivery.payload()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.payload()))
                .build();
    }

    private DeliveryAttempt record(Delivery delivery, int attempt, Integer status, String error) {
        DeliveryAttempt recorded = new DeliveryAttempt(
                delivery.target().endpointId(),
                delivery.eventId(),
                delivery.eventType(),
                attempt,
                status,
                error,
                wallClock.instant());
        attempts.add(recorded);
        log.debug(
                "webhook {} {} attempt {} -> {}",
                delivery.eventType(),
                delivery.eventId(),
                attempt,
                status != null ? status : error);
        return recorded;
    }

    /** Stops lanes and the retry scheduler; pending retries are dropped. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        lanes.values().forEach(ExecutorService::shutdownNow);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private record Delivery(WebhookTarget target, String eventId, String eventType, byte[] payload) {}
}
