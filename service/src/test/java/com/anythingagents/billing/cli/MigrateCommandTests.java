package com.anythingagents.billing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingProcess;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.TestStripe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** {@code migrate} as a real process against the embedded PostgreSQL the test context already migrated. */
@BillingServiceTest
class MigrateCommandTests {

    @Autowired
    Environment environment;

    @Autowired
    Flyway flyway;

    @TempDir
    Path directory;

    @Test
    void printsTheSchemaVersionWithNothingPending() {
        Map<String, String> variables = Map.of(
                "DATABASE_URL",
                environment.getRequiredProperty("DATABASE_URL"),
                "ENABLE_BILLING",
                "false",
                "AUTH_JWT_SECRET",
                TestStripe.JWT_SECRET);
        try (BillingProcess process = BillingProcess.start(directory, variables, "migrate")) {
            int exit = process.awaitExit(Duration.ofSeconds(90));

            assertThat(exit).as(process.output()).isZero();
            assertThat(process.output())
                    .contains("Database schema at version "
                            + flyway.info().current().getVersion() + " ("
                            + flyway.info().applied().length + " migrations applied, 0 pending)");
        }
    }

    @Test
    void unreachableDatabaseFailsWithOneMessage() {
        Map<String, String> variables = Map.of(
                "DATABASE_URL", "postgres://u:secretpw@127.0.0.1:1/db",
                "ENABLE_BILLING", "false",
                "AUTH_JWT_SECRET", TestStripe.JWT_SECRET);
        try (BillingProcess process = BillingProcess.start(directory, variables, "migrate")) {
            int exit = process.awaitExit(Duration.ofSeconds(90));

            assertThat(exit).isNotZero();
            assertThat(process.output())
                    .containsOnlyOnce("Cannot connect to PostgreSQL at 127.0.0.1:1/db")
                    .doesNotContain("secretpw")
                    .doesNotContain("\tat ");
        }
    }
}
