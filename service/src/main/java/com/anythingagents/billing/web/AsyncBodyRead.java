package com.anythingagents.billing.web;

import com.anythingagents.billing.web.RequestBodies.BodyHandler;
import com.anythingagents.billing.web.RequestBodies.Refusal;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The rest of a body that was not there yet: Tomcat calls {@link #onDataAvailable} whenever bytes
 * arrive and {@link #onAllDataRead} at the end, on a container thread that is free again as soon
 * as the callback returns. Exactly one outcome settles the request: the handler gets the body, or
 * the body is refused (too large, budget full, timed out), or the client went away.
 */
final class AsyncBodyRead implements ReadListener, AsyncListener {

    private static final Logger log = LoggerFactory.getLogger(AsyncBodyRead.class);

    private final RequestBodies bodies;

    private final AsyncContext async;

    private final ServletInputStream in;

    private final BodyBuffer buffer;

    private final BodyHandler handler;

    private final HttpServletResponse response;

    // Tomcat runs the callbacks of one connection one at a time (the socket lock), timeouts included
    private boolean settled;

    AsyncBodyRead(
            RequestBodies bodies,
            AsyncContext async,
            ServletInputStream in,
            BodyBuffer buffer,
            BodyHandler handler,
            HttpServletResponse response) {
        this.bodies = bodies;
        this.async = async;
        this.in = in;
        this.buffer = buffer;
        this.handler = handler;
        this.response = response;
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!settled && in.isReady()) {
            Refusal refusal = buffer.ensureRoom();
            if (refusal != null) {
                settle(refusal);
                return;
            }
            int n = in.read(buffer.array(), buffer.length(), buffer.array().length - buffer.length());
            if (n < 0) {
                return; // onAllDataRead follows
            }
            buffer.advance(n);
        }
    }

    @Override
    public void onAllDataRead() throws IOException {
        if (settled) {
            return;
        }
        settled = true;
        try {
            handler.body(buffer.bytes(), async);
        } catch (Exception ex) {
            // handlers answer their own failures: reaching this is a bug, logged without any input
            log.error("Request body handler failed", RedactedFailure.of(ex));
            if (!response.isCommitted()) {
                bodies.errors()
                        .write(
                                response,
                                new ApiException(
                                        HttpStatus.INTERNAL_SERVER_ERROR,
                                        "internal_error",
                                        "An unexpected error occurred"));
            }
            async.complete();
        }
    }

    /**
     * A read failed: the client closed the connection, sent broken chunked encoding, or sent
     * nothing for longer than the connector's read timeout (which is longer than the body's, so
     * that one answers first).
     */
    @Override
    public void onError(Throwable failure) {
        if (settled) {
            return;
        }
        settled = true;
        handler.refused(failure instanceof SocketTimeoutException ? Refusal.TIMED_OUT : Refusal.CLIENT_GONE);
        completeQuietly();
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
        // settled: the body was handed over and whoever took it went async again; theirs to answer
        if (!settled) {
            settle(Refusal.TIMED_OUT);
        }
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        buffer.release();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // a dispatched handler went async again: keep listening, onComplete releases the buffer
        event.getAsyncContext().addListener(this);
    }

    private void settle(Refusal refusal) throws IOException {
        settled = true;
        bodies.refuse(response, refusal, handler);
        async.complete();
    }

    private void completeQuietly() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyOver) {
            // the container completed it after the error
        }
    }
}
