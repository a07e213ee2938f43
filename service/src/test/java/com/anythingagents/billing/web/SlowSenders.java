package com.anythingagents.billing.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The slow-body attack of the hostile-input issue: many connections that each send a request head
 * announcing a large body, then one byte now and then, and never finish. Non-blocking client
 * sockets on one thread; a connection the server answers or closes (408 after the body timeout) is
 * opened again at once, so the attack stays at full strength for as long as it runs.
 */
final class SlowSenders implements AutoCloseable {

    private final int port;

    private final String head;

    private final List<SocketChannel> connections = new ArrayList<>();

    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    private final AtomicInteger answered = new AtomicInteger();

    private final AtomicInteger open = new AtomicInteger();

    private SlowSenders(int port, String path, int count) {
        this.port = port;
        this.head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Stripe-Signature: t=1,v1=" + "0".repeat(64) + "\r\nContent-Length: 1000000\r\n\r\n{";
        for (int i = 0; i < count; i++) {
            connections.add(connect());
        }
        open.set(count);
    }

    /** {@code count} connections trickling a body to {@code path}, one byte per connection every 2 s. */
    static SlowSenders start(int port, String path, int count) {
        SlowSenders senders = new SlowSenders(port, path, count);
        senders.trickle.scheduleWithFixedDelay(senders::tick, 2, 2, TimeUnit.SECONDS);
        return senders;
    }

    /** Connections sending right now that the server has neither answered nor closed. */
    int open() {
        return open.get();
    }

    /** Connections the server answered or closed (and that were opened again). */
    int answered() {
        return answered.get();
    }

    private SocketChannel connect() {
        try {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("localhost", port));
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            return channel;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void tick() {
        int stillOpen = 0;
        ByteBuffer in = ByteBuffer.allocate(4096);
        for (int i = 0; i < connections.size(); i++) {
            SocketChannel channel = connections.get(i);
            try {
                in.clear();
                if (channel.read(in) != 0) {
                    throw new IOException("answered or closed by the server");
                }
                channel.write(ByteBuffer.wrap(new byte[] {' '}));
                stillOpen++;
            } catch (IOException | RuntimeException answeredOrClosed) {
                answered.incrementAndGet();
                close(channel);
                try {
                    connections.set(i, connect());
                } catch (UncheckedIOException refused) {
                    // the server is not accepting right now: try again on the next tick
                }
            }
        }
        open.set(stillOpen);
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }

    @Override
    public void close() {
        trickle.shutdownNow();
        try {
            trickle.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        connections.forEach(SlowSenders::close);
    }
}
