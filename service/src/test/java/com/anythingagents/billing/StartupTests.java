package com.anythingagents.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executable as operators run it: fail fast with one readable message, or boot with the settings given. */
class StartupTests {

    private static final Duration EXIT = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    @Test
    void billingOnWithNothingSetExitsWithOneMessageNamingTheThreeStripeVariables() {
        try (BillingProcess process = BillingProcess.start(directory, Map.of("ENABLE_BILLING", "true"))) {
            int exit = process.awaitExit(EXIT);
            String output = process.output();

            assertThat(exit).isNotZero();
            assertThat(output).containsOnlyOnce("Invalid configuration (3 problems)");
            assertThat(output)
                    .contains("STRIPE_SECRET_KEY is missing")
                    .contains("STRIPE_WEBHOOK_SECRET is missing")
                    .contains("STRIPE_PRODUCT_PRICE_MAP is missing")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void unreachableDatabaseExitsWithOneMessageNamingWhereButNotThePassword() {
        Map<String, String> environment = Map.of(
                "DATABASE_URL", "postgresql://u:secretpw@127.0.0.1:1/db",
                "ENABLE_BILLING", "false",
                "AUTH_JWT_SECRET", TestStripe.JWT_SECRET,
                "PORT", "0");
        try (BillingProcess process = BillingProcess.start(directory, environment)) {
            int exit = process.awaitExit(EXIT);
            String output = process.output();

            assertThat(exit).isNotZero();
            assertThat(output).containsOnlyOnce("Cannot connect to PostgreSQL at 127.0.0.1:1/db");
            assertThat(output)
                    .doesNotContain("secretpw")
                    .doesNotContain("\tat ")
                    .doesNotContain(" failed: ");
        }
    }

    @Test
    void bootsWithPairsPriceMapFromTheEnvironment() {
        Map<String, String> environment = billingOnWithoutPriceMap();
        environment.put("STRIPE_PRODUCT_PRICE_MAP", "starter=price_a,pro=price_b");

        assertBootsWithTwoPlans(environment);
    }

    @Test
    void bootsWithPairsPriceMapFromEnvLocalInTheWorkingDirectory() throws IOException {
        Files.writeString(directory.resolve(".env.local"), "STRIPE_PRODUCT_PRICE_MAP=starter=price_a,pro=price_b\n");

        assertBootsWithTwoPlans(billingOnWithoutPriceMap());
    }

    @Test
    void bootsWithJsonPriceMapFromEnvLocal() throws IOException {
        Files.writeString(
                directory.resolve(".env.local"),
                "# plans\nexport STRIPE_PRODUCT_PRICE_MAP='{\"starter\": \"price_a\", \"pro\": \"price_b\"}'\n");

        assertBootsWithTwoPlans(billingOnWithoutPriceMap());
    }

    private void assertBootsWithTwoPlans(Map<String, String> environment) {
        try (BillingProcess process = BillingProcess.start(directory, environment)) {
            process.awaitOutput("Started BillingApplication", EXIT);

            assertThat(process.output())
                    .contains("Billing service settings: billing=on key=sk_test_…xxxx webhook_secrets=1 plans=2")
                    .doesNotContain("sk_test_xxxxxxxxxxxxxxxx");
        }
    }

    private static Map<String, String> billingOnWithoutPriceMap() {
        Map<String, String> environment = new HashMap<>();
        environment.put("BILLING_LOCAL_EPHEMERAL", "true");
        environment.put("ENABLE_BILLING", "true");
        environment.put("STRIPE_SECRET_KEY", "sk_test_xxxxxxxxxxxxxxxxxxxx");
        environment.put("STRIPE_WEBHOOK_SECRET", "whsec_test_0123456789");
        environment.put("PORT", "0");
        return environment;
    }
}
