package com.anythingagents.billing.faults;

import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingProcess;
import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.TestStripe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The billing service as a real process on a port of the test's choosing, healthy once started. */
final class ServiceProcess implements AutoCloseable {

    static final String WEBHOOK_SECRET = TestStripe.WEBHOOK_SECRET;

    /** A cold JVM on a 2-core box shared with other builds; bounded, never a timing claim. */
    private static final Duration HEALTHY = Duration.ofSeconds(180);

    private final BillingProcess process;

    private final int port;

    private ServiceProcess(BillingProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Billing on, the given database, no Redis, Stripe unreachable (the events used need no Stripe
     * call), and a short worker lease so events a dead worker held are due again within seconds.
     */
    static Map<String, String> environment(String databaseUrl, int port) {
        Map<String, String> environment = new HashMap<>();
        environment.put("DATABASE_URL", databaseUrl);
        environment.put("PORT", Integer.toString(port));
        environment.put("ENABLE_BILLING", "true");
        environment.put("STRIPE_SECRET_KEY", TestStripe.SECRET_KEY);
        environment.put("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
        environment.put("STRIPE_PRODUCT_PRICE_MAP", SubscriptionUpdates.PRICE_MAP);
        environment.put("STRIPE_API_BASE", "http://127.0.0.1:9");
        environment.put("AUTH_JWT_SECRET", TestStripe.JWT_SECRET);
        environment.put("BILLING_WORKER_LEASE_SECONDS", "5");
        return environment;
    }

    /** Starts the service in {@code directory} and waits (bounded) until its health is UP. */
    static ServiceProcess start(Path directory, Map<String, String> environment) {
        int port = Integer.parseInt(environment.get("PORT"));
        ServiceProcess service = new ServiceProcess(BillingProcess.start(directory, environment), port);
        try {
            service.awaitHealthy();
        } catch (RuntimeException | AssertionError ex) {
            service.close(); // never leave a half-started service (and its databases) behind
            throw ex;
        }
        return service;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    URI webhookUrl() {
        return URI.create("http://127.0.0.1:" + port + "/webhooks/stripe");
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        return process.output();
    }

    /** {@code kill -9}: the JVM ends mid-request and mid-transaction, with no shutdown hook. */
    void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }

    private void awaitHealthy() {
        HttpProbe probe = new HttpProbe(port);
        try {
            awaitHealthy(probe);
        } catch (org.awaitility.core.ConditionTimeoutException ex) {
            String output = process.output();
            throw new AssertionError(
                    "Not healthy within " + HEALTHY + "; the last of its output:\n"
                            + output.substring(Math.max(0, output.length() - 6000)),
                    ex);
        }
    }

    private void awaitHealthy(HttpProbe probe) {
        await().atMost(HEALTHY).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("The service exited:\n" + process.output());
            }
            try {
                HttpProbe.Response health = probe.get("/actuator/health");
                return health.status() == 200
                        && health.json().path("status").asString().equals("UP");
            } catch (UncheckedIOException notListeningYet) {
                return false;
            }
        });
    }
}
