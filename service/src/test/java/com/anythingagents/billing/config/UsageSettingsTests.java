package com.anythingagents.billing.config;

import static com.anythingagents.billing.config.SettingsFixture.problems;
import static com.anythingagents.billing.config.SettingsFixture.settings;
import static com.anythingagents.billing.config.SettingsFixture.valid;
import static com.anythingagents.billing.config.SettingsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsageSettingsTests {

    @Test
    void metersFromPairsOrJsonKeepTheirOrder() {
        assertThat(settings(with("BILLING_USAGE_METERS", "agent_runs=agent_run, tokens=llm_tokens"))
                        .usage()
                        .meters())
                .containsExactly(Map.entry("agent_runs", "agent_run"), Map.entry("tokens", "llm_tokens"));
        assertThat(settings(with("BILLING_USAGE_METERS", "{\"tokens\":\"llm_tokens\",\"agent_runs\":\"agent_run\"}"))
                        .usage()
                        .meters())
                .containsExactly(Map.entry("tokens", "llm_tokens"), Map.entry("agent_runs", "agent_run"));
    }

    @Test
    void defaultsStreamWithNoFeaturesAndRetryTwentyTimesFromFiveSecondsUpToFifteenMinutes() {
        UsageSettings usage = settings(valid()).usage();

        assertThat(usage.meters()).isEmpty();
        assertThat(usage.meterEventName("agent_runs")).isEmpty();
        assertThat(usage.transport()).isEqualTo(UsageSettings.Transport.STREAM);
        assertThat(usage.alertAfterAttempts()).isEqualTo(20);
        assertThat(usage.retryBase()).isEqualTo(Duration.ofSeconds(5));
        assertThat(usage.retryCap()).isEqualTo(Duration.ofMinutes(15));
        assertThat(usage.batchSize()).isEqualTo(500);
        assertThat(settings(with("BILLING_USAGE_TRANSPORT", "v1")).usage().transport())
                .isEqualTo(UsageSettings.Transport.V1);
    }

    @Test
    void badValuesAreListedWithTheOtherConfigurationProblems() {
        assertThat(problems(with(Map.of(
                        "BILLING_USAGE_METERS", "agent_runs=agent_run,tokens,=x,bad key=y,runs=a b",
                        "BILLING_USAGE_TRANSPORT", "carrier-pigeon",
                        "BILLING_USAGE_MAX_ATTEMPTS", "0",
                        "STRIPE_SECRET_KEY", "pk_test_nope"))))
                .containsExactlyInAnyOrder(
                        "STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_ (got pk_test_…)",
                        "BILLING_USAGE_METERS entry \"tokens\" is not feature=meter_event_name",
                        "BILLING_USAGE_METERS entry \"=x\" has an empty feature key",
                        "BILLING_USAGE_METERS entry \"runs=a b\" has a meter event name that is not 1 to 100"
                                + " letters, digits or _ . : -",
                        "BILLING_USAGE_METERS feature key \"bad key\" must be 1 to 100 letters, digits or _ . : -",
                        "BILLING_USAGE_TRANSPORT must be stream or v1 (got \"carrier-pigeon\")",
                        "BILLING_USAGE_MAX_ATTEMPTS must be a whole number above 0 (got \"0\")");
    }

    @Test
    void aFeatureMappedTwiceOrJsonThatIsNotAnObjectIsRejected() {
        assertThat(problems(with("BILLING_USAGE_METERS", "a=x,a=y")))
                .containsExactly("BILLING_USAGE_METERS maps feature \"a\" twice");
        assertThat(problems(with("BILLING_USAGE_METERS", "[\"a\"]")))
                .containsExactly("BILLING_USAGE_METERS must be a JSON object of feature key to meter event name,"
                        + " got a JSON array");
    }

    @Test
    void apiSettingsDefaultToStripesRetentionAndFiveMinuteCatalog() {
        ApiSettings api = settings(valid()).api();

        assertThat(api.returnUrl()).isEmpty();
        assertThat(api.idempotencyRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(api.catalogCache()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings(with("BILLING_RETURN_URL", "https://app.example.com/billing"))
                        .api()
                        .returnUrl())
                .isEqualTo(Optional.of(URI.create("https://app.example.com/billing")));
        assertThat(problems(with(
                        Map.of("BILLING_RETURN_URL", "app.example.com", "BILLING_IDEMPOTENCY_RETENTION_HOURS", "-1"))))
                .containsExactlyInAnyOrder(
                        "BILLING_RETURN_URL must be a http or https URL with a host",
                        "BILLING_IDEMPOTENCY_RETENTION_HOURS must be a whole number above 0 (got \"-1\")");
    }
}
