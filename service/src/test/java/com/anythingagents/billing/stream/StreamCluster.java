package com.anythingagents.billing.stream;

import com.anythingagents.billing.ServiceInstance;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.activity.ActivityEntry;
import com.anythingagents.billing.activity.BillingActivity;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.security.TokenMinter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import redis.embedded.RedisServer;

/**
 * Two service instances on one Postgres (local mode's, schema {@value #SCHEMA}) and one Redis of
 * their own, which a test may stop and start on the same port: instance A runs the worker, B does
 * not, so whatever a client on B sees of a webhook came over Redis.
 */
final class StreamCluster implements AutoCloseable {

    static final String SCHEMA = "stream_cluster";

    static final int MAX_CLIENTS_PER_TENANT = 5;

    /** Instance B's cap on streams of all tenants. */
    static final int MAX_CLIENTS_ON_B = 10;

    private final int redisPort = freePort();

    private RedisServer redis;

    final ServiceInstance a;

    final ServiceInstance b;

    StreamCluster() {
        startRedis();
        Map<String, String> common = new HashMap<>();
        common.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        common.put("ENABLE_BILLING_STREAM", "true");
        common.put("BILLING_STREAM_MAX_CLIENTS_PER_TENANT", String.valueOf(MAX_CLIENTS_PER_TENANT));
        common.put("BILLING_STREAM_PING_SECONDS", "1");
        // no periodic reconcile during a test: what a client gets, it got over Redis or by a catch-up
        common.put("BILLING_STREAM_RECONCILE_SECONDS", "3600");
        Map<String, String> withWorker = new HashMap<>(common);
        withWorker.put("billing.workers.enabled", "true");
        withWorker.put("BILLING_WORKER_POLL_MILLIS", "200");
        Map<String, String> withoutWorker = new HashMap<>(common);
        withoutWorker.put("billing.workers.enabled", "false");
        withoutWorker.put("BILLING_STREAM_MAX_CLIENTS", String.valueOf(MAX_CLIENTS_ON_B));
        a = ServiceInstance.start(SCHEMA, withWorker);
        b = ServiceInstance.start(SCHEMA, withoutWorker);
    }

    void startRedis() {
        try {
            redis = RedisServer.newRedisServer()
                    .port(redisPort)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            redis.start();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    void stopRedis() {
        try {
            redis.stop();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String token(String tenant, Role role) {
        return new TokenMinter(TestStripe.JWT_SECRET, Optional.empty(), Optional.empty(), Clock.systemUTC())
                .mint("user-" + role.claimValue(), tenant, List.of(role), Duration.ofMinutes(30));
    }

    /** Records one activity item for {@code tenant} on {@code instance}, in a transaction of its own. */
    static ActivityEntry record(ServiceInstance instance, String tenant, String summary) {
        TransactionTemplate transaction = new TransactionTemplate(instance.bean(PlatformTransactionManager.class));
        return transaction.execute(status ->
                instance.bean(BillingActivity.class).record(tenant, "test.tick", BillingChange.of(tenant, summary)));
    }

    static double meter(ServiceInstance instance, String name) {
        MeterRegistry registry = instance.bean(MeterRegistry.class);
        return registry.find(name).meters().stream()
                .mapToDouble(meter -> meter.measure().iterator().next().getValue())
                .sum();
    }

    @Override
    public void close() {
        b.close();
        a.close();
        stopRedis();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
