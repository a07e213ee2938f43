package com.anythingagents.billing.faults;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends signed webhooks the way Stripe does, open loop: new events at a steady rate whatever the
 * service does, each retried (re-signed, after a short delay) on any non-2xx answer or connection
 * error until it is answered 2xx. Records every attempt, so a test can compare what was
 * acknowledged with what is stored, and see what the service answered while a part was down.
 */
final class StripeLikeSender implements AutoCloseable {

    /**
     * Stripe backs off exponentially over hours; the tests need the whole cycle within seconds, and
     * a retry storm would only slow the restart it waits for.
     */
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);

    private static final Duration LONGEST_RETRY = Duration.ofSeconds(2);

    /** Stripe's concurrency towards one endpoint is limited too; more only queues up here. */
    private static final int MAX_IN_FLIGHT = 32;

    static final int CONNECTION_FAILED = -1;

    /** One delivery attempt; times from {@link System#nanoTime()}. */
    record Attempt(String eventId, long sentNanos, long answeredNanos, int status) {

        boolean acknowledged() {
            return status >= 200 && status < 300;
        }
    }

    /** One event: its id and the exact bytes sent on every attempt. */
    record Event(String id, byte[] body) {}

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final URI url;

    private final String secret;

    private final int perSecond;

    private final LongFunction<Event> events;

    private final Set<String> sent = ConcurrentHashMap.newKeySet();

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();

    private final DelayQueue<Due> due = new DelayQueue<>();

    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    private final AtomicLong generated = new AtomicLong();

    private volatile boolean generating;

    private volatile boolean closed;

    private Thread generator;

    private Thread dispatcher;

    StripeLikeSender(URI url, String secret, int perSecond, LongFunction<Event> events) {
        this.url = url;
        this.secret = secret;
        this.perSecond = perSecond;
        this.events = events;
    }

    /** Starts sending new events at the steady rate (and retrying as needed). */
    void start() {
        generating = true;
        dispatcher = daemon("sender-dispatch", this::dispatch);
        generator = daemon("sender-generate", this::generate);
    }

    /** No new events from now on; events already sent keep being retried until acknowledged. */
    void stopNewEvents() throws InterruptedException {
        generating = false;
        generator.join();
    }

    Set<String> sent() {
        return Set.copyOf(sent);
    }

    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Waits (bounded) until {@code more} events than now have been acknowledged. */
    void awaitMoreAcknowledged(int more, Duration timeout) {
        int target = acknowledged.size() + more;
        await().atMost(timeout).until(() -> acknowledged.size() >= target);
    }

    /** Every event sent so far has been answered 2xx (after as many retries as it took). */
    boolean allAcknowledged() {
        return acknowledged.size() == sent.size();
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** How many attempts got each answer ({@link #CONNECTION_FAILED} for no answer at all). */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        attempts.forEach(a -> counts.merge(a.status(), 1L, Long::sum));
        return counts;
    }

    @Override
    public void close() throws InterruptedException {
        generating = false;
        closed = true;
        if (generator != null) {
            generator.interrupt();
            dispatcher.interrupt();
            generator.join();
            dispatcher.join();
        }
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void generate() {
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        while (generating) {
            long n = generated.getAndIncrement();
            // open loop: the schedule does not wait for answers
            long wait = start + n * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!generating) {
                return;
            }
            Event event = events.apply(n);
            sent.add(event.id());
            due.add(new Due(event, 0, System.nanoTime()));
        }
    }

    private void dispatch() {
        try {
            while (!closed) {
                Due next = due.take();
                inFlight.acquire();
                send(next);
            }
        } catch (InterruptedException ex) {
            // closed
        }
    }

    private void send(Due delivery) {
        Event event = delivery.event();
        long sentAt = System.nanoTime();
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", "t=" + timestamp + ",v1=" + sign(timestamp, event.body()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()))
                .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            inFlight.release();
            int status = failure != null ? CONNECTION_FAILED : response.statusCode();
            Attempt attempt = new Attempt(event.id(), sentAt, System.nanoTime(), status);
            attempts.add(attempt);
            if (attempt.acknowledged()) {
                acknowledged.add(event.id());
            } else if (!closed) {
                long delay =
                        Math.min(FIRST_RETRY.toNanos() << Math.min(delivery.retries(), 10), LONGEST_RETRY.toNanos());
                due.add(new Due(event, delivery.retries() + 1, System.nanoTime() + delay));
            }
        });
    }

    private String sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private record Due(Event event, int retries, long atNanos) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(atNanos, ((Due) other).atNanos);
        }
    }
}
