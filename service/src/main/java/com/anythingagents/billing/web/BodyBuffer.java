package com.anythingagents.billing.web;

import com.anythingagents.billing.web.RequestBodies.Refusal;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * One body being read: a buffer that grows with the bytes that arrived (doubling, never past the
 * declared length), each growth reserved in the shared budget and all of it released once.
 */
final class BodyBuffer {

    private final RequestBodies bodies;

    /** The declared Content-Length, or -1 when chunked. */
    private final long declared;

    /** Largest buffer: the declared length, or one byte more than allowed (that byte proves a chunked body too large). */
    private final int limit;

    private byte[] bytes = new byte[0];

    private int length;

    private long reserved;

    BodyBuffer(RequestBodies bodies, long declared) {
        this.bodies = bodies;
        this.declared = declared;
        this.limit = declared >= 0 ? (int) declared : RequestBodies.MAX_BYTES + 1;
    }

    /** The first allocation; false when the budget has no room for it. */
    boolean start() {
        return grow((int) Math.min(limit, RequestBodies.FIRST_BUFFER_BYTES));
    }

    /**
     * Takes the bytes Tomcat already holds, without blocking (each read only returns what is
     * there); null unless the budget refused room for them. Then {@link #complete} tells whether
     * that was the whole body.
     */
    Refusal drainAvailable(ServletInputStream in) throws IOException {
        while (length < declared && in.available() > 0) {
            Refusal refusal = ensureRoom();
            if (refusal != null) {
                return refusal;
            }
            int n = in.read(bytes, length, bytes.length - length);
            if (n < 0) {
                break;
            }
            length += n;
        }
        return null;
    }

    /** Whether every declared byte is here. */
    boolean complete() {
        return declared >= 0 && length == declared;
    }

    /** Room for at least one more byte, or why not. */
    Refusal ensureRoom() {
        if (length < bytes.length) {
            return null;
        }
        if (bytes.length >= limit) {
            return Refusal.TOO_LARGE;
        }
        int size = (int) Math.min(limit, Math.max(RequestBodies.FIRST_BUFFER_BYTES, 2L * bytes.length));
        return grow(size) ? null : Refusal.BUSY;
    }

    private boolean grow(int size) {
        if (!bodies.reserve(size - bytes.length)) {
            return false;
        }
        reserved += size - bytes.length;
        bytes = Arrays.copyOf(bytes, size);
        return true;
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void advance(int n) {
        length += n;
    }

    /** The body, exactly: the buffer itself when it was sized by Content-Length (the usual case). */
    byte[] bytes() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }

    /** Gives the reservation back; idempotent. */
    void release() {
        bodies.release(reserved);
        reserved = 0;
    }
}
