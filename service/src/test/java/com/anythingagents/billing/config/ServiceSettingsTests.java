package com.anythingagents.billing.config;

import static com.anythingagents.billing.config.SettingsFixture.problems;
import static com.anythingagents.billing.config.SettingsFixture.settings;
import static com.anythingagents.billing.config.SettingsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceSettingsTests {

    @Test
    void billingOnWithNoStripeVariablesListsExactlyTheThreeStripeNames() {
        Map<String, String> changes = new HashMap<>();
        changes.put("STRIPE_SECRET_KEY", null);
        changes.put("STRIPE_WEBHOOK_SECRET", null);
        changes.put("STRIPE_PRODUCT_PRICE_MAP", null);

        assertThatThrownBy(() -> settings(with(changes)))
                .isInstanceOfSatisfying(
                        InvalidConfigurationException.class,
                        ex -> assertThat(ex.problems())
                                .containsExactly(
                                        "STRIPE_SECRET_KEY is missing (required when ENABLE_BILLING=true)",
                                        "STRIPE_WEBHOOK_SECRET is missing (required when ENABLE_BILLING=true)",
                                        "STRIPE_PRODUCT_PRICE_MAP is missing (required when ENABLE_BILLING=true)"))
                .hasMessageStartingWith("Invalid configuration (3 problems):\n  - STRIPE_SECRET_KEY is missing");
    }

    @Test
    void reportsProblemsOfEveryCapabilityInOneException() {
        Map<String, String> changes = new HashMap<>();
        changes.put("STRIPE_SECRET_KEY", "pk_live_nope");
        changes.put("ENABLE_BILLING_STREAM", "maybe");
        changes.put("DATABASE_URL", "mysql://db/billing");
        changes.put("AUTH_JWT_SECRET", "short");
        changes.put("REDIS_URL", "http://cache");

        assertThat(problems(with(changes)))
                .hasSize(5)
                .anyMatch(p -> p.startsWith("STRIPE_SECRET_KEY"))
                .anyMatch(p -> p.startsWith("ENABLE_BILLING_STREAM"))
                .anyMatch(p -> p.startsWith("DATABASE_URL"))
                .anyMatch(p -> p.startsWith("AUTH_JWT_SECRET"))
                .anyMatch(p -> p.startsWith("REDIS_URL"));
    }

    @Test
    void billingOffNeedsNoStripeVariables() {
        Map<String, String> changes = new HashMap<>();
        changes.put("ENABLE_BILLING", "false");
        changes.put("STRIPE_SECRET_KEY", null);
        changes.put("STRIPE_PRODUCT_PRICE_MAP", "garbage");

        ServiceSettings settings = settings(with(changes));

        assertThat(settings.billingEnabled()).isFalse();
        assertThat(settings.summary()).isEqualTo("billing=off stream=off mode=standard");
    }

    @ParameterizedTest
    @CsvSource({"true,true", "1,true", "YES,true", "on,true", "false,false", "0,false", "No,false", "off,false"})
    void readsBooleanSpellings(String value, boolean expected) {
        assertThat(settings(with("ENABLE_BILLING_STREAM", value)).streamEnabled())
                .isEqualTo(expected);
    }

    @Test
    void rejectsBooleanThatIsNeitherTrueNorFalse() {
        assertThat(problems(with("ENABLE_BILLING", "enabled")))
                .containsExactly("ENABLE_BILLING must be true or false (got \"enabled\")");
    }

    @Test
    void rejectsMissingDatabaseUrl() {
        assertThat(problems(with("DATABASE_URL", null)))
                .containsExactly("DATABASE_URL is missing (or run in local mode, which starts an embedded PostgreSQL)");
    }

    @Test
    void eventsRedisDefaultsToRedisUrl() {
        assertThat(settings(with("REDIS_URL", "redis://cache:6379")).eventsRedisUrl())
                .contains(URI.create("redis://cache:6379"));
        Map<String, String> both = new HashMap<>();
        both.put("REDIS_URL", "redis://cache:6379");
        both.put("BILLING_EVENTS_REDIS_URL", "rediss://events:6380");
        assertThat(settings(with(both)).eventsRedisUrl()).contains(URI.create("rediss://events:6380"));
    }

    @Test
    void summaryNamesStreamBackendAndMode() {
        Map<String, String> changes = new HashMap<>();
        changes.put("ENABLE_BILLING_STREAM", "true");
        changes.put("BILLING_LOCAL_MODE", "true");

        assertThat(settings(with(changes)).summary())
                .isEqualTo("billing=on key=sk_test_…4f2a webhook_secrets=1 plans=2 stream=on backend=none (503)"
                        + " mode=local");
    }

    @Test
    void summarySaysTheStreamIsOffWithoutBilling() {
        Map<String, String> changes = new HashMap<>();
        changes.put("ENABLE_BILLING", "false");
        changes.put("ENABLE_BILLING_STREAM", "true");
        changes.put("REDIS_URL", "redis://cache:6379");

        assertThat(settings(with(changes)).summary()).isEqualTo("billing=off stream=off (needs billing) mode=standard");
    }

    @Test
    void settingsNeverRenderThePasswordsOfTheirUrls() {
        Map<String, String> changes = new HashMap<>();
        changes.put("REDIS_URL", "rediss://default:r3dis-s3cret@cache.internal:6380");
        changes.put("DATABASE_URL", "postgresql://billing:db-s3cret@db.internal:5432/billing");

        // records print every component by default; a settings value that reaches a log must not
        assertThat(settings(with(changes)).toString()).doesNotContain("r3dis-s3cret");
        assertThat(DatabaseUrl.parse("postgresql://billing:db-s3cret@db.internal:5432/billing")
                        .toString())
                .doesNotContain("db-s3cret");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://db.internal/billing?user=billing&password=db-s3cret")
                        .toString())
                .doesNotContain("db-s3cret");
    }
}
