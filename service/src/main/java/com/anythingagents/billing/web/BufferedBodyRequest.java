package com.anythingagents.billing.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body was read already: handlers read it from memory, never from the socket.
 *
 * <p>When the body arrived slowly, the request reaches Spring MVC through an async dispatch. Every
 * filter then sees {@link DispatcherType#REQUEST}, as for a body that was there at once: Spring's
 * filters skip async dispatches (the bearer token filter among them), since they assume they ran
 * on the first dispatch, which ended here before reaching them.
 *
 * <p>A form-encoded body is not turned into request parameters (the API takes JSON): handlers read
 * it as a body like any other.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private byte[] body;

    private ServletInputStream stream;

    private boolean ownDispatch = true;

    BufferedBodyRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    /** The body, once it has arrived (before the async dispatch). */
    void body(byte[] received) {
        this.body = received;
    }

    @Override
    public DispatcherType getDispatcherType() {
        DispatcherType actual = super.getDispatcherType();
        return actual == DispatcherType.ASYNC && ownDispatch ? DispatcherType.REQUEST : actual;
    }

    @Override
    public AsyncContext startAsync() {
        // from here on, an async dispatch is the handler's own and filters must see it as one
        ownDispatch = false;
        return super.startAsync();
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        ownDispatch = false;
        return super.startAsync(request, response);
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
        if (stream == null) {
            stream = new BodyStream(body);
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        String encoding = getCharacterEncoding();
        Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    private static final class BodyStream extends ServletInputStream {

        private final ByteArrayInputStream bytes;

        BodyStream(byte[] body) {
            this.bytes = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            return bytes.read(target, offset, length);
        }

        @Override
        public int available() {
            return bytes.available();
        }

        @Override
        public boolean isFinished() {
            return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException ex) {
                listener.onError(ex);
            }
        }
    }
}
