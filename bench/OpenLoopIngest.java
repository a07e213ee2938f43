import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate with pre-signed events (lines from WebhookIngest --generate) over
 * raw HTTP/1.1 keep-alive sockets: nothing is built or signed while measuring. Latency counts from
 * each request's scheduled send time, so a stall of the service is never hidden.
 *
 *   java bench/OpenLoopIngest.java --events FILE --port 18000 --rate 1000 --seconds 15 [--connections 32]
 */
public final class OpenLoopIngest {

    public static void main(String[] args) throws Exception {
        var options = new ConcurrentHashMap<String, String>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int port = Integer.parseInt(options.getOrDefault("port", "8000"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "32"));
        List<byte[]> requests = Files.readAllLines(Path.of(options.get("events"))).stream()
                .map(line -> request(port, line))
                .toList();
        int total = (int) Math.min(requests.size(), rate * seconds);
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
                    // Tomcat closes a keep-alive connection after 100 requests: open another one
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
                            int response = readResponse(in);
                            latencies[n] = System.nanoTime() - scheduled;
                            statuses.computeIfAbsent(Math.abs(response), s -> new LongAdder()).increment();
                            open = response > 0;
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
        long[] sorted = Arrays.stream(latencies).filter(v -> v > 0).sorted().toArray();
        System.out.printf("open loop: connections=%d rate=%.0f/s duration=%.1fs requests=%d throughput=%.0f/s%n",
                connections, rate, elapsed, sorted.length, sorted.length / elapsed);
        System.out.println("statuses=" + statuses);
        System.out.printf("latency ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f%n", pct(sorted, 50),
                pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), sorted[sorted.length - 1] / 1e6);
    }

    private static byte[] request(int port, String line) {
        int tab = line.indexOf('\t');
        byte[] body = line.substring(tab + 1).getBytes(StandardCharsets.UTF_8);
        String head = "POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/json\r\nStripe-Signature: " + line.substring(0, tab)
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] request = Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), head.length() + body.length);
        System.arraycopy(body, 0, request, head.length(), body.length);
        return request;
    }

    /** Reads one response (status line, headers, body); the status, negative when the server closes. */
    private static int readResponse(InputStream in) throws IOException {
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
            line(in); // the CRLF after the chunk (or the end of the trailers after the last one)
            chunked = size > 0;
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        return close ? -status : status;
    }

    private static String line(InputStream in) throws IOException {
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

    private static double pct(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(index, 0)] / 1e6;
    }
}
