package com.anythingagents.billing.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 over a plain socket, for requests a client library refuses to send (control characters,
 * bad URIs, bodies sent in pieces or never finished). Reads one response: head, then a body of
 * {@code Content-Length} bytes, or chunked, else until the server closes.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;

    private final OutputStream out;

    private final InputStream in;

    public RawHttp(int port, Duration readTimeout) {
        try {
            socket = new Socket("localhost", port);
            socket.setSoTimeout((int) readTimeout.toMillis());
            out = socket.getOutputStream();
            in = socket.getInputStream();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public record Response(int status, String head, String body) {}

    /** Sends bytes as they are (ISO-8859-1 for text: one char, one byte). */
    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public Response response() {
        try {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before a response head: " + head);
                }
                head.write(b);
            }
            String headText = head.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(headText.substring(9, 12));
            String length = headerValue(headText, "content-length");
            byte[] body = length != null
                    ? in.readNBytes(Integer.parseInt(length))
                    : "chunked".equalsIgnoreCase(headerValue(headText, "transfer-encoding"))
                            ? chunkedBody()
                            : in.readAllBytes();
            return new Response(status, headText, new String(body, StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line().split(";")[0].strip(), 16);
            if (size == 0) {
                line();
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    public Response exchange(String request) {
        return send(request).response();
    }

    private static String headerValue(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
