package com.anythingagents.billing.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingProcess;
import com.anythingagents.stripe.emulator.EmulatorOptions;
import com.anythingagents.stripe.emulator.StripeEmulator;
import com.stripe.StripeClient;
import com.stripe.model.Customer;
import com.stripe.model.Subscription;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's "done when", as a developer does it in a fresh clone: the Stripe emulator alone (as
 * {@code make emulator}), {@code setup} non-interactively against it, {@code doctor} all green, then
 * the service started with the {@code .env.local} setup wrote processes a subscription created in the
 * emulator. Every step is the real executable in its own JVM.
 */
class FreshCloneTests {

    private static final String KEY = "sk_test_51FreshCloneKey0000000000000";

    private static final Duration STEP = Duration.ofMinutes(4);

    @TempDir
    Path clone;

    @Test
    void setupThenDoctorThenTheServiceProcessesASubscriptionCreatedInTheEmulator() throws Exception {
        int port = freePort();
        int postgres = freePort();
        Map<String, String> environment = new HashMap<>();
        environment.put("BILLING_LOCAL_DIR", clone.resolve(".local").toString());
        environment.put("PORT", Integer.toString(port));
        environment.put("LOCAL_POSTGRES_PORT", Integer.toString(postgres));
        environment.put("LOCAL_REDIS_PORT", Integer.toString(freePort()));
        environment.put("LOCAL_STRIPE_PORT", Integer.toString(freePort()));
        try (StripeEmulator emulator =
                StripeEmulator.start(EmulatorOptions.defaults().port(0))) {
            String setup = run(
                    environment,
                    "setup",
                    "--non-interactive",
                    "--api-base",
                    emulator.baseUrl(),
                    "--secret-key",
                    KEY,
                    "--webhook-url",
                    "http://127.0.0.1:" + port + "/webhooks/stripe");
            assertThat(setup)
                    .contains("ok       .env.local: written, mode 0600")
                    .doesNotContain(KEY);
            Path envFile = clone.resolve(".env.local");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)))
                    .isEqualTo("rw-------");
            Map<String, String> written = new EnvLocalFile(envFile, Clock.systemUTC()).values();

            assertThat(run(environment, "doctor")).contains("All checks passed.");

            try (BillingProcess service = BillingProcess.start(clone, environment, "serve")) {
                service.awaitOutput("Started BillingApplication", STEP);
                String subscription = subscribe(emulator, written.get("STRIPE_PRODUCT_PRICE_MAP"));

                await().atMost(Duration.ofMinutes(2))
                        .until(() -> status(postgres, subscription)
                                .filter("active"::equals)
                                .isPresent());

                assertThat(run(environment, "doctor"))
                        .contains("ok       database: ")
                        .contains("ok       stripe events: none waiting to be processed")
                        .contains("All checks passed.");
            }
        }
    }

    /** A customer of tenant acme subscribes to the starter plan, in Stripe (the emulator). */
    private static String subscribe(StripeEmulator emulator, String priceMap) throws Exception {
        String starter = CatalogStep.pairs(priceMap).get("starter");
        StripeClient stripe = StripeClient.builder()
                .setApiKey(KEY)
                .setApiBase(emulator.baseUrl())
                .build();
        Customer customer = stripe.customers()
                .create(CustomerCreateParams.builder()
                        .setEmail("owner@acme.example")
                        .putMetadata("tenant_id", "acme")
                        .build());
        Subscription subscription = stripe.subscriptions()
                .create(SubscriptionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(starter)
                                .build())
                        .putMetadata("tenant_id", "acme")
                        .build());
        return subscription.getId();
    }

    /** The subscription's status as the service stored it from the webhooks. */
    private static Optional<String> status(int postgres, String subscriptionId) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + postgres + "/postgres", "postgres", "");
                PreparedStatement query = connection.prepareStatement(
                        "select status from billing_subscriptions where stripe_subscription_id = ?")) {
            query.setString(1, subscriptionId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private String run(Map<String, String> environment, String... args) {
        try (BillingProcess process = BillingProcess.start(clone, environment, args)) {
            int exit = process.awaitExit(STEP);
            assertThat(exit).as(process.output()).isZero();
            return process.output();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
