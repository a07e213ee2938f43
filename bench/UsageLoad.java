import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load for {@code POST /api/v1/billing/usage}, and the check that every accepted report reached the
 * emulator's meter exactly once. No dependencies: tokens are HS256 JWTs signed here, requests are
 * built before the clock starts and sent over raw HTTP/1.1 keep-alive sockets.
 *
 *   java bench/UsageLoad.java setup  --port P --secret S --tenants N --out FILE
 *   java bench/UsageLoad.java closed --port P --tenants-file FILE --seconds T --connections C --run ID
 *   java bench/UsageLoad.java open   --port P --tenants-file FILE --seconds T --rate R --connections C --run ID
 *   java bench/UsageLoad.java verify --port P --tenants-file FILE --stripe URL --accepted N [--timeout S]
 *
 * {@code setup} starts a plan for N tenants (each gets its Stripe customer) and writes
 * "tenant owner-token service-token customer" lines. Every report is 1 agent run with a unique
 * idempotency key, so quantities count reports. {@code closed} and {@code open} print
 * "accepted=N" (202s); {@code verify} waits until the service has reported them all, then sums the
 * emulator's meter for every customer: it must equal the number accepted (0 lost, 0 duplicated).
 */
public final class UsageLoad {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Tenant(String id, String ownerToken, String serviceToken, String customer) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int port = Integer.parseInt(options.getOrDefault("port", "8000"));
        switch (args[0]) {
            case "setup" -> setup(port, options);
            case "closed" -> closed(port, options);
            case "open" -> open(port, options);
            case "verify" -> System.exit(verify(port, options) ? 0 : 1);
            default -> throw new IllegalArgumentException("setup, closed, open or verify");
        }
    }

    // --- setup ------------------------------------------------------------------------------------

    static void setup(int port, Map<String, String> options) throws Exception {
        String secret = options.get("secret");
        int count = Integer.parseInt(options.getOrDefault("tenants", "100"));
        String run = options.getOrDefault("run", Long.toString(System.currentTimeMillis() / 1000));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String tenant = "bench-" + run + "-" + i;
            String owner = jwt(secret, tenant, "owner");
            HttpResponse<String> started = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/billing/start"))
                            .header("Authorization", "Bearer " + owner)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"plan_code\":\"starter\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 201) {
                throw new IllegalStateException("start of " + tenant + ": " + started.statusCode() + " " + started.body());
            }
            String customer = field(started.body(), "stripe_customer_id");
            lines.add(tenant + " " + owner + " " + jwt(secret, tenant, "service") + " " + customer);
        }
        Files.write(Path.of(options.get("out")), lines);
        System.out.println("tenants=" + count + " each with a Stripe customer and a starter plan");
    }

    // --- load -------------------------------------------------------------------------------------

    /** As many reports as {@code connections} closed loops can send in {@code seconds}. */
    static void closed(int port, Map<String, String> options) throws Exception {
        List<Tenant> tenants = tenants(options);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "32"));
        String run = options.getOrDefault("run", "closed");
        // enough requests for 20,000/s: far above what one box does, built before the clock starts
        List<byte[]> requests = requests(port, tenants, run, 20_000 * seconds);
        AtomicInteger next = new AtomicInteger();
        var statuses = new ConcurrentHashMap<Integer, LongAdder>();
        long[] latencies = new long[requests.size()];
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            threads[c] = new Thread(() -> {
                int n = next.getAndIncrement();
                while (n < requests.size() && System.nanoTime() < end) {
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        socket.setTcpNoDelay(true);
                        OutputStream out = socket.getOutputStream();
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        boolean open = true;
                        while (open && n < requests.size() && System.nanoTime() < end) {
                            long sent = System.nanoTime();
                            out.write(requests.get(n));
                            out.flush();
                            int status = readResponse(in);
                            latencies[n] = System.nanoTime() - sent;
                            statuses.computeIfAbsent(Math.abs(status), s -> new LongAdder()).increment();
                            open = status > 0;
                            n = next.getAndIncrement();
                        }
                    } catch (IOException ex) {
                        statuses.computeIfAbsent(-1, s -> new LongAdder()).increment();
                        n = next.getAndIncrement();
                    }
                }
            });
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        stop.set(true);
        double elapsed = (System.nanoTime() - start) / 1e9;
        report("closed loop: connections=" + connections, statuses, latencies, elapsed);
    }

    /** {@code rate} reports a second, latency counted from each one's scheduled send time. */
    static void open(int port, Map<String, String> options) throws Exception {
        List<Tenant> tenants = tenants(options);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "500"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "32"));
        String run = options.getOrDefault("run", "open");
        int total = (int) (rate * seconds);
        List<byte[]> requests = requests(port, tenants, run, total);
        long interval = (long) (1e9 / rate);
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        var statuses = new ConcurrentHashMap<Integer, LongAdder>();
        long start = System.nanoTime() + 100_000_000L;
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            threads[c] = new Thread(() -> {
                int n = next.getAndIncrement();
                while (n < total) {
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        socket.setTcpNoDelay(true);
                        OutputStream out = socket.getOutputStream();
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        boolean open = true;
                        for (; open && n < total; n = next.getAndIncrement()) {
                            long scheduled = start + n * interval;
                            long wait = scheduled - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            out.write(requests.get(n));
                            out.flush();
                            int status = readResponse(in);
                            latencies[n] = System.nanoTime() - scheduled;
                            statuses.computeIfAbsent(Math.abs(status), s -> new LongAdder()).increment();
                            open = status > 0;
                        }
                    } catch (IOException ex) {
                        statuses.computeIfAbsent(-1, s -> new LongAdder()).increment();
                        n = next.getAndIncrement();
                    }
                }
            });
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        report("open loop: rate=" + (long) rate + "/s connections=" + connections, statuses, latencies, elapsed);
    }

    /** One usage report per request, round robin over the tenants, each with its own key. */
    static List<byte[]> requests(int port, List<Tenant> tenants, String run, int count) {
        List<byte[]> requests = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            Tenant tenant = tenants.get(n % tenants.size());
            byte[] body = ("{\"feature_key\":\"agent_runs\",\"quantity\":1,\"idempotency_key\":\"" + run + "-" + n + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            String head = "POST /api/v1/billing/usage HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAuthorization: Bearer " + tenant.serviceToken()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] request = Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), head.length() + body.length);
            System.arraycopy(body, 0, request, head.length(), body.length);
            requests.add(request);
        }
        return requests;
    }

    static void report(String what, Map<Integer, LongAdder> statuses, long[] latencies, double elapsed) {
        long[] sorted = Arrays.stream(latencies).filter(v -> v > 0).sorted().toArray();
        long accepted = statuses.getOrDefault(202, new LongAdder()).sum();
        System.out.printf("%s duration=%.1fs requests=%d accepted/s=%.0f%n", what, elapsed, sorted.length, accepted / elapsed);
        System.out.println("statuses=" + statuses);
        if (sorted.length > 0) {
            System.out.printf("latency ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f%n", pct(sorted, 50),
                    pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), sorted[sorted.length - 1] / 1e6);
        }
        System.out.println("accepted=" + accepted);
    }

    // --- verify -----------------------------------------------------------------------------------

    /** Waits until nothing is pending, then compares the service's totals and the meter's with the accepted count. */
    static boolean verify(int port, Map<String, String> options) throws Exception {
        List<Tenant> tenants = tenants(options);
        long accepted = Long.parseLong(options.get("accepted"));
        String stripe = options.get("stripe");
        long timeout = Long.parseLong(options.getOrDefault("timeout", "300"));
        long start = System.nanoTime();
        long[] totals;
        while (true) {
            totals = serviceTotals(port, tenants);
            if (totals[1] == 0 || System.nanoTime() - start > Duration.ofSeconds(timeout).toNanos()) {
                break;
            }
            Thread.sleep(500);
        }
        double drained = (System.nanoTime() - start) / 1e9;
        long meter = meterTotal(stripe, tenants);
        System.out.printf("service: reported=%d pending=%d failed=%d (drained %.1fs after the load)%n",
                totals[0], totals[1], totals[2], drained);
        System.out.printf("emulator meter agent_run: %d over %d customers%n", meter, tenants.size());
        long lost = accepted - meter;
        boolean ok = totals[0] == accepted && totals[1] == 0 && totals[2] == 0 && meter == accepted;
        System.out.printf("accepted=%d delivered=%d lost=%d duplicated=%d -> %s%n", accepted, meter, Math.max(lost, 0),
                Math.max(-lost, 0), ok ? "OK" : "MISMATCH");
        return ok;
    }

    /** reported, pending, failed summed over the tenants (their current period). */
    static long[] serviceTotals(int port, List<Tenant> tenants) throws Exception {
        long[] totals = new long[3];
        for (Tenant t : tenants) {
            String body = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/billing/usage"))
                                    .header("Authorization", "Bearer " + t.ownerToken())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            totals[0] += number(body, "reported");
            totals[1] += number(body, "pending");
            totals[2] += number(body, "failed");
        }
        return totals;
    }

    static long meterTotal(String stripe, List<Tenant> tenants) throws Exception {
        String meters = stripeGet(stripe, "/v1/billing/meters?limit=100");
        Matcher meter = Pattern.compile("\"id\"\\s*:\\s*\"(mtr_[^\"]+)\"[^{}]*?\"event_name\"\\s*:\\s*\"agent_run\"")
                .matcher(meters);
        String meterId = meter.find() ? meter.group(1) : firstMeter(meters);
        long end = (Instant.now().getEpochSecond() / 60 + 60 * 24 * 40) * 60; // the emulator's clock may run ahead
        long begin = end - Duration.ofDays(80).toSeconds();
        long total = 0;
        for (Tenant t : tenants) {
            String summaries = stripeGet(stripe, "/v1/billing/meters/" + meterId + "/event_summaries?customer="
                    + t.customer() + "&start_time=" + begin + "&end_time=" + end);
            Matcher value = Pattern.compile("\"aggregated_value\"\\s*:\\s*([0-9.]+)").matcher(summaries);
            while (value.find()) {
                total += (long) Double.parseDouble(value.group(1));
            }
        }
        return total;
    }

    static String firstMeter(String meters) {
        Matcher any = Pattern.compile("\"(mtr_[^\"]+)\"").matcher(meters);
        if (!any.find()) {
            throw new IllegalStateException("no meter in " + meters);
        }
        return any.group(1);
    }

    static String stripeGet(String base, String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .header("Authorization", "Bearer sk_test_bench")
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    // --- plumbing ---------------------------------------------------------------------------------

    static List<Tenant> tenants(Map<String, String> options) throws IOException {
        return Files.readAllLines(Path.of(options.get("tenants-file"))).stream()
                .filter(l -> !l.isBlank())
                .map(l -> l.split(" "))
                .map(p -> new Tenant(p[0], p[1], p[2], p[3]))
                .toList();
    }

    /** An HS256 token for the service's AUTH_JWT_SECRET, valid for two hours. */
    static String jwt(String secret, String tenant, String role) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"bench\",\"tenant_id\":\"" + tenant + "\",\"roles\":[\"" + role
                        + "\"],\"iat\":" + now + ",\"exp\":" + (now + 7200) + "}")
                .getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        return header + "." + payload + "." + signature;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static long number(String json, String name) {
        long sum = 0;
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /** Reads one response; the status, negative when the server closes the connection after it. */
    static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        int length = 0;
        boolean chunked = false;
        boolean close = false;
        for (String header; !(header = line(in)).isEmpty(); ) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).strip());
            } else if (header.regionMatches(true, 0, "Transfer-Encoding:", 0, 18)) {
                chunked = header.toLowerCase().contains("chunked");
            } else if (header.regionMatches(true, 0, "Connection:", 0, 11)) {
                close = header.toLowerCase().contains("close");
            }
        }
        if (!chunked) {
            in.readNBytes(length);
        }
        for (int size; chunked && (size = Integer.parseInt(line(in).strip(), 16)) >= 0; ) {
            in.readNBytes(size);
            line(in);
            chunked = size > 0;
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        return close ? -status : status;
    }

    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    static double pct(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(index, 0)] / 1e6;
    }
}
