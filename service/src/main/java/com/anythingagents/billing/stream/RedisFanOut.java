package com.anythingagents.billing.stream;

import com.anythingagents.billing.activity.ActivityEntry;
import com.anythingagents.billing.activity.ActivityListener;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Billing activity over Redis pub/sub ({@value #CHANNEL}): every committed item is published once,
 * and each instance holds one subscription that hands other instances' items to its {@link Receiver}.
 * Redis is only the fan-out (Postgres is the truth): a publish is asynchronous, bounded and fails
 * fast, so the committing thread never waits on Redis, and whatever is lost clients read from the
 * ledger. The first connection is retried in the background until Redis answers (the service boots
 * without it); from then on Lettuce reconnects, and re-subscribes, by itself. A process that only
 * publishes (an operator command) makes its first attempt before it starts, bounded by the timeout.
 */
final class RedisFanOut implements ActivityListener, SmartLifecycle {

    static final String CHANNEL = "billing:activity";

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final Duration FIRST_CONNECTION_RETRY = Duration.ofSeconds(2);

    // a stalled Redis fails publications instead of queueing them in memory
    private static final int MAX_QUEUED_COMMANDS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(RedisFanOut.class);

    /** Where items from other instances go, and who learns that the subscription is (again) up. */
    interface Receiver {

        void received(ActivityEntry entry);

        void subscribed();
    }

    /** The message on the channel: the publishing instance (which skips its own) and the item. */
    record Message(String origin, ActivityEntry entry) {}

    private final Optional<URI> url;

    private final JsonMapper json;

    private final StreamMetrics metrics;

    private final String origin = UUID.randomUUID().toString();

    private final AtomicBoolean publishFailing = new AtomicBoolean();

    private final AtomicBoolean everSubscribed = new AtomicBoolean();

    private volatile Receiver receiver;

    private volatile boolean running;

    private ClientResources resources;

    private RedisClient client;

    private ScheduledExecutorService connector;

    private volatile StatefulRedisConnection<String, String> publisher;

    private volatile StatefulRedisPubSubConnection<String, String> subscriber;

    RedisFanOut(Optional<URI> url, JsonMapper json, StreamMetrics metrics) {
        this.url = url;
        this.json = json;
        this.metrics = metrics;
    }

    /** Without a URL nothing is published and the stream answers 503. */
    boolean configured() {
        return url.isPresent();
    }

    /** Subscribes (once started) and hands received items to {@code receiver}; call before start. */
    void receiveWith(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public void committed(List<ActivityEntry> entries) {
        for (ActivityEntry entry : entries) {
            publish(entry);
        }
    }

    private void publish(ActivityEntry entry) {
        StatefulRedisConnection<String, String> connection = publisher;
        if (connection == null) {
            failed(null);
            return;
        }
        try {
            connection
                    .async()
                    .publish(CHANNEL, json.writeValueAsString(new Message(origin, entry)))
                    .whenComplete((receivers, error) -> {
                        if (error != null) {
                            failed(error);
                        } else {
                            metrics.published();
                            if (publishFailing.compareAndSet(true, false)) {
                                log.info("Publishing billing activity on Redis again");
                            }
                        }
                    });
        } catch (RuntimeException ex) {
            failed(ex);
        }
    }

    private void failed(Throwable error) {
        metrics.publishFailed();
        if (publishFailing.compareAndSet(false, true)) {
            log.warn(
                    "Cannot publish billing activity on Redis at {} ({}); clients catch up from Postgres",
                    where(),
                    error == null ? "not connected yet" : error.getMessage());
        }
    }

    @Override
    public void start() {
        if (url.isEmpty() || running) {
            return;
        }
        running = true;
        resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Lettuce's default backs off to 30 s: a Redis that is back is used within 5 s
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2, TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, RedisURI.create(url.get()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(MAX_QUEUED_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(TIMEOUT)
                        .keepAlive(true)
                        .build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == subscriber) {
                    metrics.unsubscribed();
                    log.warn("Lost the Redis subscription for billing activity at {}; Lettuce reconnects", where());
                }
            }
        });
        connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "billing-stream-redis-connect");
            thread.setDaemon(true);
            return thread;
        });
        if (receiver == null) {
            // publishing only (an operator command): connect now, so what it commits goes out at once
            connect();
        } else {
            connector.execute(this::connect); // the service boots whether or not Redis answers
        }
    }

    private void connect() {
        try {
            if (publisher == null) {
                publisher = client.connect();
            }
            if (receiver != null && subscriber == null) {
                StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
                connection.addListener(new Listener());
                try {
                    connection.sync().subscribe(CHANNEL);
                } catch (RuntimeException ex) {
                    connection.closeAsync();
                    throw ex;
                }
                subscriber = connection;
            }
            log.info("Billing activity fans out over Redis at {} (channel {})", where(), CHANNEL);
        } catch (RuntimeException ex) {
            if (running) {
                log.warn(
                        "Redis at {} is not reachable for the billing stream ({}); retrying in {} s",
                        where(),
                        ex.getMessage(),
                        FIRST_CONNECTION_RETRY.toSeconds());
                connector.schedule(this::connect, FIRST_CONNECTION_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Host and port only: the URL may carry a password. */
    private String where() {
        return url.map(u -> u.getHost() + ":" + (u.getPort() > 0 ? u.getPort() : 6379))
                .orElse("(none)");
    }

    private final class Listener extends RedisPubSubAdapter<String, String> {

        @Override
        public void message(String channel, String message) {
            Receiver current = receiver;
            try {
                Message received = json.readValue(message, Message.class);
                if (current != null && !origin.equals(received.origin()) && received.entry() != null) {
                    current.received(received.entry());
                }
            } catch (RuntimeException ex) {
                log.warn(
                        "Ignored a malformed message on {}: {}",
                        CHANNEL,
                        ex.getClass().getSimpleName());
            }
        }

        @Override
        public void subscribed(String channel, long count) {
            // also after Lettuce re-subscribed on a new connection: what was published meanwhile is lost
            boolean again = everSubscribed.getAndSet(true);
            metrics.subscribed(again);
            if (again) {
                log.info("Re-subscribed to billing activity on Redis at {}; clients catch up from Postgres", where());
            }
            Receiver current = receiver;
            if (current != null) {
                current.subscribed();
            }
        }
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        connector.shutdownNow();
        StatefulRedisConnection<String, String> connection = publisher;
        if (connection != null && connection.isOpen()) {
            try {
                connection.sync().ping(); // after every publication sent before it (one connection, in order)
            } catch (RuntimeException ex) {
                // Redis is gone: what was not published is in the ledger
            }
        }
        client.shutdown(Duration.ZERO, TIMEOUT);
        resources.shutdown(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        publisher = null;
        subscriber = null;
        metrics.unsubscribed();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // stops after the hub (which closes its clients first) and starts before it
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
