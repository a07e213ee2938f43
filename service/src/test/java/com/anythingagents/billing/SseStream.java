package com.anythingagents.billing;

import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real server-sent-events client over HTTP (java.net.http and a line reader), for tests: it parses
 * frames as a browser's EventSource does and keeps every one, comments included.
 */
public final class SseStream implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** One frame: its fields as sent (null when absent); a comment frame has only {@code comment}. */
    public record Frame(String id, String event, String data, String retry, String comment) {

        public boolean isActivity() {
            return data != null && !"ready".equals(event);
        }

        public long seq() {
            return Long.parseLong(id);
        }
    }

    private final HttpResponse<Stream<String>> response;

    private final List<Frame> frames = new CopyOnWriteArrayList<>();

    private volatile boolean ended;

    private SseStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens {@code /api/v1/billing/stream?query} with a bearer token and, when not null, a
     * {@code Last-Event-ID} header; returns once the response headers are in.
     */
    public static SseStream open(int port, String token, String query, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/api/v1/billing/stream" + (query.isEmpty() ? "" : "?" + query)))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token)
                .timeout(WAIT)
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        CompletableFuture<HttpResponse<Stream<String>>> future =
                HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        try {
            return new SseStream(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (ExecutionException ex) {
            throw new UncheckedIOException(new java.io.IOException(ex.getCause()));
        } catch (TimeoutException ex) {
            future.cancel(true);
            throw new AssertionError("No response headers within " + WAIT, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public static SseStream open(int port, String token) {
        return open(port, token, "", null);
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The whole body of a refused stream (a JSON error envelope): waits until it ended. */
    public String errorBody() {
        await().atMost(WAIT).until(() -> ended);
        return String.join("\n", frames.stream().map(Frame::comment).toList());
    }

    public List<Frame> frames() {
        return List.copyOf(frames);
    }

    public List<Frame> activity() {
        return frames.stream().filter(Frame::isActivity).toList();
    }

    public List<Long> activityIds() {
        return activity().stream().map(Frame::seq).toList();
    }

    /** The id a reconnecting EventSource would send: the last id seen, or null. */
    public String lastEventId() {
        String last = null;
        for (Frame frame : frames) {
            if (frame.id() != null) {
                last = frame.id();
            }
        }
        return last;
    }

    public boolean ended() {
        return ended;
    }

    public Frame awaitFrame(Predicate<Frame> wanted) {
        await().atMost(WAIT).until(() -> frames.stream().anyMatch(wanted));
        return frames.stream().filter(wanted).findFirst().orElseThrow();
    }

    /** Waits until the stream is live (the ready frame after its replay) and returns that frame. */
    public Frame awaitReady() {
        return awaitFrame(frame -> "ready".equals(frame.event()));
    }

    /** Waits until an activity frame with {@code id >= seq} has arrived. */
    public void awaitActivityThrough(long seq) {
        await().atMost(WAIT).until(() -> activity().stream().anyMatch(frame -> frame.seq() >= seq));
    }

    @Override
    public void close() {
        response.body().close();
    }

    private void read() {
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                lines.forEach(line -> frames.add(new Frame(null, null, null, null, line)));
                return;
            }
            List<String> block = new ArrayList<>();
            lines.forEach(line -> {
                if (line.isEmpty()) {
                    if (!block.isEmpty()) {
                        frames.add(parse(block));
                        block.clear();
                    }
                } else {
                    block.add(line);
                }
            });
        } catch (RuntimeException ex) {
            // closed by this side, or the connection dropped
        } finally {
            ended = true;
        }
    }

    private static Frame parse(List<String> lines) {
        String id = null;
        String event = null;
        String retry = null;
        String comment = null;
        List<String> data = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(":")) {
                comment = line.substring(1).strip();
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "retry" -> retry = value;
                case "data" -> data.add(value);
                default -> {
                    // unknown fields are ignored, as EventSource does
                }
            }
        }
        return new Frame(id, event, data.isEmpty() ? null : String.join("\n", data), retry, comment);
    }
}
