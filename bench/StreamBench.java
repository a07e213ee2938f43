import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Live stream benchmark: opens SSE clients (tenants x clients per tenant, waits until every one is
 * live), then posts signed webhooks open loop at a fixed rate, round robin over the tenants, and
 * measures for every frame the time from the event's scheduled send to its arrival at the client
 * (webhook received -> stored -> processed -> committed -> Redis -> SSE). Also: webhook ack latency
 * while the clients are connected, frames delivered vs expected, and the service's RSS.
 *
 *   java bench/StreamBench.java --port 18100 --secret whsec_... --jwt-secret ... \
 *        [--tenants 20] [--clients-per-tenant 1] [--rate 200] [--seconds 30] [--pid SERVICE_PID]
 *
 * Each event is an invoice.paid of a new invoice of its tenant, so the service applies every event,
 * in whatever order, and records one activity item for it. Loopback only.
 */
public final class StreamBench {

    private static final HexFormat HEX = HexFormat.of();

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int port = Integer.parseInt(options.getOrDefault("port", "18100"));
        String secret = require(options, "secret");
        String jwtSecret = require(options, "jwt-secret");
        int tenants = Integer.parseInt(options.getOrDefault("tenants", "20"));
        int perTenant = Integer.parseInt(options.getOrDefault("clients-per-tenant", "1"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        long pid = Long.parseLong(options.getOrDefault("pid", "0"));
        String run = Long.toString(System.currentTimeMillis(), 36);
        URI base = URI.create("http://127.0.0.1:" + port);

        // the SSE clients share one HttpClient (one selector thread for all connections)
        HttpClient sse = HttpClient.newBuilder()
                .executor(Executors.newFixedThreadPool(4, daemon("sse")))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        Frames frames = new Frames();
        int clients = tenants * perTenant;
        CountDownLatch live = new CountDownLatch(clients);
        AtomicInteger refused = new AtomicInteger();
        long connectStart = System.nanoTime();
        for (int t = 0; t < tenants; t++) {
            String tenant = "sb-" + run + "-" + t;
            String token = token(jwtSecret, tenant);
            for (int c = 0; c < perTenant; c++) {
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/billing/stream"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream")
                        .build();
                sse.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Client(frames, live)))
                        .whenComplete((response, error) -> {
                            if (error != null || response.statusCode() != 200) {
                                refused.incrementAndGet();
                                live.countDown();
                            }
                        });
            }
        }
        if (!live.await(60 + clients / 20, TimeUnit.SECONDS)) {
            System.out.printf("only %d of %d streams live after the wait%n", clients - live.getCount(), clients);
        }
        System.out.printf(
                "streams: %d open (%d refused or failed) in %d ms; service RSS %s%n",
                clients - refused.get(),
                refused.get(),
                (System.nanoTime() - connectStart) / 1_000_000,
                rss(pid));

        // open loop: latency counts from each event's scheduled send time, so a stall is never hidden
        HttpClient webhooks = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int total = (int) (rate * seconds);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime() + 200_000_000L;
        long created = System.currentTimeMillis() / 1000 - 1_000_000;
        AtomicInteger next = new AtomicInteger();
        long[] acks = new long[total];
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        AtomicLong maxRss = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss.accumulateAndGet(rssKib(pid), Math::max);
                LockSupport.parkNanos(500_000_000L);
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < 16; s++) {
            Thread sender = new Thread(() -> {
                Mac mac = mac(secret);
                for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                    long scheduled = start + n * interval;
                    long wait = scheduled - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    String id = "evt_sb_" + run + "_" + n;
                    String tenant = "sb-" + run + "-" + (n % tenants);
                    byte[] body = event(id, run + "_" + n, tenant, created + n).getBytes(StandardCharsets.UTF_8);
                    long t = System.currentTimeMillis() / 1000;
                    mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
                    String signature = "t=" + t + ",v1=" + HEX.formatHex(mac.doFinal(body));
                    frames.sent.put(id, scheduled);
                    int status;
                    try {
                        status = webhooks.send(
                                        HttpRequest.newBuilder(base.resolve("/webhooks/stripe"))
                                                .header("Content-Type", "application/json")
                                                .header("Stripe-Signature", signature)
                                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                    } catch (Exception ex) {
                        status = -1;
                    }
                    acks[n] = System.nanoTime() - scheduled;
                    statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long expected = (long) total * perTenant;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (frames.received.sum() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000_000L);
        }
        sampler.interrupt();
        long[] ack = Arrays.stream(acks).filter(v -> v > 0).sorted().toArray();
        long[] e2e = frames.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                "webhooks: %d at %.0f/s over %.1f s, statuses %s, ack p50 %s p99 %s max %s%n",
                total,
                rate,
                sendSeconds,
                statuses,
                ms(ack, 0.50),
                ms(ack, 0.99),
                ms(ack, 1.0));
        System.out.printf(
                "frames: %d of %d expected (%d streams x their tenant's events); %d streams ended early%n",
                frames.received.sum(),
                expected,
                clients - refused.get(),
                frames.ended.get());
        System.out.printf(
                "webhook received -> SSE frame: p50 %s p90 %s p99 %s max %s%n",
                ms(e2e, 0.50),
                ms(e2e, 0.90),
                ms(e2e, 0.99),
                ms(e2e, 1.0));
        System.out.printf("service RSS: max %s during the run, %s now%n", mib(maxRss.get()), rss(pid));
        System.exit(frames.received.sum() == expected && refused.get() == 0 ? 0 : 1);
    }

    /** What every client saw: frame count, latencies, and streams that ended. */
    private static final class Frames {

        final Map<String, Long> sent = new ConcurrentHashMap<>();

        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

        final LongAdder received = new LongAdder();

        final AtomicInteger ended = new AtomicInteger();
    }

    /** One SSE connection, read line by line as it arrives. */
    private static final class Client implements Flow.Subscriber<String> {

        private static final String EVENT_ID = "\"stripe_event_id\":\"";

        private final Frames frames;

        private final CountDownLatch live;

        private boolean ready;

        Client(Frames frames, CountDownLatch live) {
            this.frames = frames;
            this.live = live;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            long now = System.nanoTime();
            if (!ready && line.equals("event: ready")) {
                ready = true;
                live.countDown();
            } else if (line.startsWith("data: {")) {
                int at = line.indexOf(EVENT_ID);
                if (at > 0) {
                    String id = line.substring(at + EVENT_ID.length(), line.indexOf('"', at + EVENT_ID.length()));
                    Long scheduled = frames.sent.get(id);
                    if (scheduled != null) {
                        frames.latencies.add(now - scheduled);
                        frames.received.increment();
                    }
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            frames.ended.incrementAndGet();
        }

        @Override
        public void onComplete() {
            frames.ended.incrementAndGet();
        }
    }

    /** An invoice.paid of a new invoice: applied whatever order the worker takes events in. */
    private static String event(String id, String key, String tenant, long created) {
        return """
            {"id":"%s","object":"event","api_version":"2026-07-29.dahlia","created":%d,"livemode":false,
             "pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"invoice.paid",
             "data":{"object":{"id":"in_sb_%s","object":"invoice","customer":"cus_sb_%s","status":"paid",
               "number":"SB-%s","currency":"usd","amount_due":2900,"amount_paid":2900,"amount_remaining":0,
               "total":2900,"attempt_count":1,"period_start":%d,"period_end":%d,
               "status_transitions":{"finalized_at":%d,"paid_at":%d},"metadata":{"tenant_id":"%s"}}}}
            """.formatted(id, created, key, tenant, key, created, created + 2_592_000, created, created, tenant);
    }

    /** An HS256 token as the service's dev tokens are: tenant_id and roles claims. */
    private static String token(String secret, String tenant) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(
                ("{\"sub\":\"bench\",\"tenant_id\":\"" + tenant + "\",\"roles\":[\"member\"],\"iat\":" + now
                                + ",\"exp\":" + (now + 3600) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        Mac mac = mac(secret);
        String signature = b64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.UTF_8)));
        return header + "." + claims + "." + signature;
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return "-";
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return String.format("%.1f ms", sorted[Math.max(0, index)] / 1e6);
    }

    private static long rssKib(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception ex) {
            // the service is gone
        }
        return 0;
    }

    private static String rss(long pid) {
        return pid <= 0 ? "(no --pid)" : mib(rssKib(pid));
    }

    private static String mib(long kib) {
        return kib == 0 ? "-" : (kib / 1024) + " MiB";
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
