package com.anythingagents.billing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} as operators run it: one line per check, exit 1 when anything is wrong. */
class DoctorCommandTests {

    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void badConfigurationPrintsOneFailLinePerProblemAndExitsOne() {
        Map<String, String> environment = Map.of(
                "BILLING_LOCAL_EPHEMERAL", "true",
                "ENABLE_BILLING", "true",
                "STRIPE_SECRET_KEY", "pk_test_51HxPublishableKey9876");
        try (BillingProcess process = BillingProcess.start(directory, environment, "doctor")) {
            assertThat(process.awaitExit(EXIT)).isEqualTo(1);

            assertThat(process.output().lines().filter(line -> line.startsWith("error    configuration: ")))
                    .hasSize(3)
                    .anyMatch(line -> line.contains("STRIPE_SECRET_KEY must start with sk_test_"))
                    .anyMatch(line -> line.contains("STRIPE_WEBHOOK_SECRET is missing"))
                    .anyMatch(line -> line.contains("STRIPE_PRODUCT_PRICE_MAP is missing"));
            assertThat(process.output()).doesNotContain("51HxPublishableKey").doesNotContain("\tat ");
        }
    }

    @Test
    void localModeWithNothingConfiguredIsHealthy() {
        try (BillingProcess process =
                BillingProcess.start(directory, Map.of("BILLING_LOCAL_EPHEMERAL", "true"), "doctor")) {
            assertThat(process.awaitExit(EXIT)).as(process.output()).isZero();

            assertThat(process.output())
                    .contains("info     local mode: `make run` provides what is not configured here")
                    .contains(
                            "info     stripe: local mode bills against the in-process Stripe emulator `make run` starts")
                    .contains("ok       configuration: ")
                    .contains("All checks passed.")
                    .doesNotContain("error");
        }
    }

    @Test
    void unreachableDatabaseFailsWithoutPrintingThePassword() {
        Map<String, String> environment = Map.of(
                "DATABASE_URL", "postgresql://u:secretpw@127.0.0.1:1/db",
                "AUTH_JWT_SECRET", "a-test-secret-that-is-at-least-32-bytes");
        try (BillingProcess process = BillingProcess.start(directory, environment, "doctor")) {
            assertThat(process.awaitExit(EXIT)).isEqualTo(1);

            assertThat(process.output())
                    .contains("ok       configuration: billing=off")
                    .contains("error    database: 127.0.0.1:1/db as u does not answer: ")
                    .contains("fix: start it (`make dev-up` starts PostgreSQL and Redis for development)")
                    .doesNotContain("secretpw");
        }
    }
}
