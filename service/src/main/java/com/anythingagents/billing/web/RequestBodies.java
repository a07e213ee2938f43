package com.anythingagents.billing.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Reads request bodies without pinning a request thread while the bytes trickle in. A body that is
 * already in Tomcat's buffer when the request is dispatched (nearly every one: a few KiB arrive
 * with the headers) is copied out and handled at once, with no async machinery. Anything else
 * switches to servlet async I/O: a {@code ReadListener} collects the bytes as they arrive, no
 * thread waits, and the handler runs on a container thread once the body is complete. Every body
 * is bounded in size ({@value #MAX_BYTES} bytes, 413) and in time ({@link #TIMEOUT} for the whole
 * body, 408), and all bodies being read at once share a memory budget ({@value #BUDGET_BYTES}
 * bytes, 503 beyond it): buffers grow with the bytes that actually arrived, never with what
 * {@code Content-Length} promises.
 */
@Component
public class RequestBodies {

    /** Stripe events are a few KiB; 1 MiB leaves room for huge invoices without inviting abuse. */
    public static final int MAX_BYTES = 1024 * 1024;

    /** A whole body must arrive within this; 1 MiB in 10 s is 100 KiB/s, far below any real client. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Memory all bodies being read may hold at once (64 full-size bodies, thousands of usual ones). */
    static final long BUDGET_BYTES = 64L * 1024 * 1024;

    /** First buffer: the whole body of nearly every request, one allocation. */
    static final int FIRST_BUFFER_BYTES = 16 * 1024;

    private final AtomicLong reserved = new AtomicLong();

    private final long budget;

    private final ApiErrorWriter errors;

    @Autowired
    RequestBodies(ApiErrorWriter errors) {
        this(errors, BUDGET_BYTES);
    }

    RequestBodies(ApiErrorWriter errors, long budget) {
        this.errors = errors;
        this.budget = budget;
    }

    /** What to do with a complete body, and how to hear about a refused one. */
    public interface BodyHandler {

        /**
         * The whole body, on a container thread. With {@code async} null the request is the usual
         * synchronous one; otherwise the handler answers and calls {@code async.complete()} (or
         * dispatches).
         */
        void body(byte[] body, AsyncContext async) throws IOException, ServletException;

        /** The body was refused and answered already (413, 408, 503) or the client went away. */
        default void refused(Refusal refusal) {}

        /** Starts async mode; a handler that dispatches later passes its request wrapper here. */
        default AsyncContext startAsync(HttpServletRequest request, HttpServletResponse response) {
            return request.startAsync();
        }
    }

    /** Why a body was not handed over: a bounded set, for metrics. */
    public enum Refusal {
        TOO_LARGE,
        TIMED_OUT,
        BUSY,
        CLIENT_GONE
    }

    /** Whether the request announces a body at all (GETs and empty POSTs skip the buffering). */
    public static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Reads the body of {@code request} and hands it to {@code handler}, now or later; refusals are
     * answered here in the error envelope.
     */
    public void read(HttpServletRequest request, HttpServletResponse response, BodyHandler handler)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BYTES) {
            // nothing read: answering closes the connection (413 drops it), so nothing is drained either
            refuse(response, Refusal.TOO_LARGE, handler);
            return;
        }
        BodyBuffer buffer = new BodyBuffer(this, declared);
        if (!buffer.start()) {
            refuse(response, Refusal.BUSY, handler);
            return;
        }
        ServletInputStream in = request.getInputStream();
        // A declared length lets the bytes already buffered be taken without blocking: available()
        // counts what Tomcat holds, so each read returns at once. Chunked bodies go async at once,
        // as a chunk header split across packets would make a blocking read wait.
        Refusal refusal = declared >= 0 ? buffer.drainAvailable(in) : null;
        if (refusal != null) {
            buffer.release();
            refuse(response, refusal, handler);
            return;
        }
        if (buffer.complete()) {
            try {
                handler.body(buffer.bytes(), null);
            } finally {
                buffer.release();
            }
            return;
        }
        AsyncContext async = handler.startAsync(request, response);
        async.setTimeout(TIMEOUT.toMillis());
        AsyncBodyRead read = new AsyncBodyRead(this, async, in, buffer, handler, response);
        async.addListener(read);
        in.setReadListener(read);
    }

    /** Reserves {@code bytes} of the shared budget; false when that would exceed it. */
    boolean reserve(int bytes) {
        if (reserved.addAndGet(bytes) > budget) {
            reserved.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    /** Bytes held by bodies being read right now. */
    long reservedBytes() {
        return reserved.get();
    }

    ApiErrorWriter errors() {
        return errors;
    }

    void refuse(HttpServletResponse response, Refusal refusal, BodyHandler handler) throws IOException {
        // counted before the answer leaves, so whoever reads the answer also sees the count
        handler.refused(refusal);
        switch (refusal) {
            case TOO_LARGE ->
                errors.write(
                        response,
                        new ApiException(
                                HttpStatus.CONTENT_TOO_LARGE,
                                "payload_too_large",
                                "The body is larger than " + MAX_BYTES + " bytes"));
            case TIMED_OUT ->
                errors.write(
                        response,
                        new ApiException(
                                HttpStatus.REQUEST_TIMEOUT,
                                "request_timeout",
                                "The body did not arrive within " + TIMEOUT.toSeconds() + " seconds"));
            case BUSY -> {
                response.setHeader("Retry-After", "1");
                errors.write(
                        response,
                        new ApiException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "server_busy",
                                "Too many request bodies are being received right now; retry shortly"));
            }
            case CLIENT_GONE -> {
                // nobody to answer
            }
        }
    }
}
