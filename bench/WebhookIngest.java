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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load generator for signed webhook ingest: unique, correctly signed ~2.7 KiB events posted to
 * POST /webhooks/stripe. Closed loop with N connections, or open loop at a fixed rate.
 *
 *   java bench/WebhookIngest.java --url http://127.0.0.1:8000/webhooks/stripe --secret whsec_… \
 *        [--connections 16] [--seconds 20] [--rate 0 (= as fast as possible)] [--warmup 5]
 *   java bench/WebhookIngest.java --generate FILE --count N --secret whsec_…
 *
 * The second form writes N signed events, one {@code <Stripe-Signature>\t<body>} line each, for
 * {@code wrk -s bench/ingest.lua}; signed now, so they must be sent within the 300 s tolerance.
 * Bounded in time, loopback only; prints throughput, status counts and latency percentiles.
 */
public final class WebhookIngest {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        URI url = URI.create(options.getOrDefault("url", "http://127.0.0.1:8000/webhooks/stripe"));
        if (!isLoopback(url.getHost())) {
            throw new IllegalArgumentException("load is only sent to loopback addresses, not " + url.getHost());
        }
        String secret = options.get("secret");
        if (secret == null) {
            throw new IllegalArgumentException("--secret whsec_… is required (local mode: see the startup log or .local)");
        }
        if (options.containsKey("generate")) {
            generate(Path.of(options.get("generate")), Long.parseLong(options.getOrDefault("count", "100000")), secret);
            return;
        }
        int connections = Integer.parseInt(options.getOrDefault("connections", "16"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "0"));
        String run = Long.toString(System.currentTimeMillis(), 36);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        if (warmup > 0) {
            drive(client, url, secret, connections, warmup, rate, run + "w", new Recorder());
        }
        Recorder recorder = new Recorder();
        long started = System.nanoTime();
        drive(client, url, secret, connections, seconds, rate, run, recorder);
        double elapsed = (System.nanoTime() - started) / 1e9;
        recorder.print(elapsed, connections, rate);
    }

    private static void drive(HttpClient client, URI url, String secret, int connections, int seconds, double rate,
            String run, Recorder recorder) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong sequence = new AtomicLong();
        long intervalNanos = rate > 0 ? (long) (1e9 / rate) : 0;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        for (int c = 0; c < connections; c++) {
            pool.submit(() -> {
                Mac mac = mac(secret);
                while (true) {
                    long n = sequence.getAndIncrement();
                    long scheduled = start + n * intervalNanos;
                    if (intervalNanos > 0) {
                        long wait = scheduled - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        return null;
                    }
                    byte[] body = event("evt_bench_" + run + "_" + n, n).getBytes(StandardCharsets.UTF_8);
                    long t = System.currentTimeMillis() / 1000;
                    mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
                    String signature = HexFormat.of().formatHex(mac.doFinal(body));
                    HttpRequest request = HttpRequest.newBuilder(url)
                            .header("Content-Type", "application/json")
                            .header("Stripe-Signature", "t=" + t + ",v1=" + signature)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
                    // open loop: latency counts from the scheduled time (no coordinated omission)
                    long sent = intervalNanos > 0 ? scheduled : System.nanoTime();
                    try {
                        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                        recorder.record(response.statusCode(), System.nanoTime() - sent);
                    } catch (Exception ex) {
                        recorder.record(-1, System.nanoTime() - sent);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void generate(Path file, long count, String secret) throws java.io.IOException {
        String run = Long.toString(System.currentTimeMillis(), 36) + "g";
        Mac mac = mac(secret);
        long t = System.currentTimeMillis() / 1000;
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (long n = 0; n < count; n++) {
                // one line per event: the body's own newlines are insignificant JSON whitespace
                byte[] body = event("evt_bench_" + run + "_" + n, n).replace("\n", "").getBytes(StandardCharsets.UTF_8);
                mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
                String signature = HexFormat.of().formatHex(mac.doFinal(body));
                out.write(("t=" + t + ",v1=" + signature + "\t").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.write('\n');
            }
        }
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

    /** A realistic ~2.7 KiB customer.subscription.updated event with a unique id. */
    private static String event(String id, long n) {
        long created = System.currentTimeMillis() / 1000;
        // one subscription and tenant per event: every event is a real upsert, none ties with another
        String key = id.substring("evt_bench_".length());
        String tenant = "bench-" + key;
        String padding = "x".repeat(900);
        return """
            {"id":"%s","object":"event","api_version":"2026-07-29.dahlia","created":%d,"livemode":false,
             "pending_webhooks":1,"request":{"id":"req_bench","idempotency_key":"%s"},
             "type":"customer.subscription.updated",
             "data":{"object":{"id":"sub_bench_%s","object":"subscription","customer":"cus_bench_%s",
               "status":"active","cancel_at_period_end":false,"currency":"usd","created":%d,
               "metadata":{"tenant_id":"%s","note":"%s"},
               "items":{"object":"list","has_more":false,"url":"/v1/subscription_items","data":[
                 {"id":"si_bench_%s","object":"subscription_item","quantity":1,"current_period_start":%d,
                  "current_period_end":%d,"price":{"id":"price_bench","object":"price","currency":"usd",
                  "unit_amount":2900,"recurring":{"interval":"month","interval_count":1,"usage_type":"licensed"}}}]}},
              "previous_attributes":{"status":"trialing"}}}
            """.formatted(id, created, id, key, key, created, tenant, padding, key, created, created + 2_592_000);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    private static final class Recorder {
        private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        private final List<long[]> latencies = new ArrayList<>();
        private final ThreadLocal<long[]> buffer = ThreadLocal.withInitial(() -> {
            long[] b = new long[500_000];
            synchronized (latencies) {
                latencies.add(b);
            }
            return b;
        });
        private final ThreadLocal<int[]> count = ThreadLocal.withInitial(() -> new int[1]);
        private final LongAdder total = new LongAdder();

        void record(int status, long nanos) {
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            int[] c = count.get();
            long[] b = buffer.get();
            if (c[0] < b.length) {
                b[c[0]++] = nanos;
            }
            total.increment();
        }

        void print(double seconds, int connections, double rate) {
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
            System.out.printf("connections=%d rate=%s duration=%.1fs requests=%d throughput=%.0f/s%n", connections,
                    rate > 0 ? String.format("%.0f/s", rate) : "max", seconds, total.sum(), total.sum() / seconds);
            System.out.println("statuses=" + statuses);
            if (all.length > 0) {
                System.out.printf("latency ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f%n", pct(all, 50),
                        pct(all, 90), pct(all, 99), pct(all, 99.9), all[all.length - 1] / 1e6);
            }
        }

        private static double pct(long[] sorted, double p) {
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
            return sorted[Math.max(index, 0)] / 1e6;
        }
    }
}
