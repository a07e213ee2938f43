package com.anythingagents.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingProcess;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.MeterUsage;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.local.OwnStripe;
import com.anythingagents.billing.security.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The service as a real process, stopped dead while it is sending usage to a failing Stripe, and
 * started again: the usage it had accepted is delivered, once. (Its own database in local mode's
 * PostgreSQL, its own emulator.)
 */
@BillingServiceTest
class UsageRestartTests {

    static final Duration BOOT = Duration.ofSeconds(180);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    @TempDir
    Path directory;

    @Test
    void usagePendingWhenTheServiceDiesIsDeliveredOnceAfterARestart() {
        String database = "restart_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.sql("create database " + database).update();
        try (OwnStripe stripe = OwnStripe.start()) {
            Map<String, String> env = environment(stripe, database);
            String tenant = "t_" + UUID.randomUUID();
            String owner = BillingApi.token(tenant, Role.OWNER);
            String customer;
            JdbcClient serviceDb = JdbcClient.create(
                    new org.springframework.jdbc.datasource.DriverManagerDataSource(jdbcUrl(database), "postgres", ""));
            try (BillingProcess first = BillingProcess.start(directory, env, "serve")) {
                first.awaitOutput("Started BillingApplication", BOOT);
                BillingApi api = new BillingApi(Integer.parseInt(env.get("PORT")));
                Response started = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}");
                assertThat(started.status()).as(started.body()).isEqualTo(201);
                customer = started.json()
                        .path("subscription")
                        .path("stripe_customer_id")
                        .asString();
                // Stripe hangs and then fails every try of the first delivery (the SDK's retries included)
                stripe.control().fault("POST", "/v2/billing/meter_event_stream", 500, 3000, 3);
                for (int i = 1; i <= 3; i++) {
                    Response accepted = api.post(
                            "/api/v1/billing/usage",
                            owner,
                            "{\"feature_key\":\"agent_runs\",\"quantity\":" + i + ",\"idempotency_key\":\"r" + i
                                    + "\"}");
                    assertThat(accepted.status()).isEqualTo(202);
                }
                // the worker took the first report as it came in and hangs in Stripe with it; the other two
                // wait behind it
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> serviceDb
                                        .sql("select count(*) from usage_records where attempts > 0")
                                        .query(Long.class)
                                        .single()
                                > 0);
                killTheService(); // mid-delivery: the records stay leased to a process that is gone
            }
            assertThat(serviceDb
                            .sql("select count(*) from usage_records where status = 'pending'")
                            .query(Long.class)
                            .single())
                    .isEqualTo(3);

            try (BillingProcess second = BillingProcess.start(directory, env, "serve")) {
                second.awaitOutput("Started BillingApplication", BOOT);
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> serviceDb
                                        .sql("select count(*) from usage_records where status = 'reported'")
                                        .query(Long.class)
                                        .single()
                                == 3);
            }
            assertThat(MeterUsage.total(
                            stripe.control().stripe(), stripe.emulator().now(), "agent_run", customer))
                    .isEqualTo(1 + 2 + 3);
        } finally {
            jdbc.sql("drop database if exists " + database + " with (force)").update();
        }
    }

    private Map<String, String> environment(OwnStripe stripe, String database) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(freePort()));
        env.put("DATABASE_URL", jdbcUrl(database) + "&user=postgres");
        env.putAll(stripe.settings());
        env.put("AUTH_JWT_SECRET", TestStripe.JWT_SECRET);
        // a lease short enough that the second process takes the first one's records over soon
        env.put("BILLING_WORKER_LEASE_SECONDS", "5");
        env.put("BILLING_USAGE_RETRY_BASE_SECONDS", "1");
        return env;
    }

    private String jdbcUrl(String database) {
        String url = environment.getRequiredProperty("spring.datasource.url");
        return url.substring(0, url.lastIndexOf('/') + 1) + database + "?sslmode=disable";
    }

    /** {@code kill -9} of the one service process this test runs: no shutdown hook, no graceful stop. */
    private static void killTheService() {
        ProcessHandle service = ProcessHandle.current()
                .children()
                // the JVM's only java child (the others are embedded PostgreSQL and Redis)
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no service process to kill"));
        service.destroyForcibly();
        try {
            service.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new AssertionError("pid " + service.pid() + " survived SIGKILL", ex);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
