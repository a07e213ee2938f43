package com.anythingagents.billing.config;

import static com.anythingagents.billing.config.SettingsFixture.problems;
import static com.anythingagents.billing.config.SettingsFixture.settings;
import static com.anythingagents.billing.config.SettingsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeSettingsTests {

    @ParameterizedTest
    @ValueSource(strings = {"sk_test_abc123", "sk_live_abc123", "rk_test_abc123", "rk_live_abc123"})
    void acceptsSecretAndRestrictedKeysInBothModes(String key) {
        StripeSettings stripe =
                settings(with("STRIPE_SECRET_KEY", key)).stripe().orElseThrow();

        assertThat(stripe.secretKey()).isEqualTo(key);
        assertThat(stripe.livemode()).isEqualTo(key.contains("_live_"));
    }

    @Test
    void rejectsMissingSecretKey() {
        assertThat(problems(with("STRIPE_SECRET_KEY", null)))
                .containsExactly("STRIPE_SECRET_KEY is missing (required when ENABLE_BILLING=true)");
    }

    @Test
    void rejectsEmptySecretKey() {
        assertThat(problems(with("STRIPE_SECRET_KEY", "  ")))
                .containsExactly("STRIPE_SECRET_KEY is empty (required when ENABLE_BILLING=true)");
    }

    @Test
    void rejectsPublishableKeyWithoutEchoingIt() {
        assertThat(problems(with("STRIPE_SECRET_KEY", "pk_test_51HxPublishable9876")))
                .containsExactly(
                        "STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_ (got pk_test_…9876)");
    }

    @Test
    void acceptsCommaSeparatedWebhookSecretsDuringRotation() {
        StripeSettings stripe = settings(with("STRIPE_WEBHOOK_SECRET", " whsec_old1 , whsec_new2 "))
                .stripe()
                .orElseThrow();

        assertThat(stripe.webhookSecrets()).containsExactly("whsec_old1", "whsec_new2");
    }

    @Test
    void rejectsEveryWebhookSecretEntryWithoutWhsecPrefix() {
        assertThat(problems(with("STRIPE_WEBHOOK_SECRET", "whsec_good,sk_test_wrongthing1234")))
                .containsExactly("STRIPE_WEBHOOK_SECRET entries must start with whsec_ (got sk_test_…1234)");
    }

    @Test
    void rejectsMissingAndEmptyWebhookSecret() {
        assertThat(problems(with("STRIPE_WEBHOOK_SECRET", null)))
                .containsExactly("STRIPE_WEBHOOK_SECRET is missing (required when ENABLE_BILLING=true)");
        assertThat(problems(with("STRIPE_WEBHOOK_SECRET", "")))
                .containsExactly("STRIPE_WEBHOOK_SECRET is empty (required when ENABLE_BILLING=true)");
    }

    @Test
    void rejectsMissingPriceMap() {
        assertThat(problems(with("STRIPE_PRODUCT_PRICE_MAP", null)))
                .containsExactly("STRIPE_PRODUCT_PRICE_MAP is missing (required when ENABLE_BILLING=true)");
    }

    @Test
    void defaultsWebhookToleranceToFiveMinutes() {
        assertThat(settings(SettingsFixture.valid()).stripe().orElseThrow().webhookTolerance())
                .isEqualTo(Duration.ofSeconds(300));
        assertThat(settings(with("STRIPE_WEBHOOK_TOLERANCE_SECONDS", "60"))
                        .stripe()
                        .orElseThrow()
                        .webhookTolerance())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "ten", "1.5"})
    void rejectsToleranceThatIsNotAPositiveWholeNumber(String value) {
        assertThat(problems(with("STRIPE_WEBHOOK_TOLERANCE_SECONDS", value)))
                .containsExactly("STRIPE_WEBHOOK_TOLERANCE_SECONDS must be a whole number of seconds above 0 (got \""
                        + value + "\")");
    }

    @Test
    void acceptsApiBaseUrlForTheEmulator() {
        assertThat(settings(with("STRIPE_API_BASE", "http://127.0.0.1:12111"))
                        .stripe()
                        .orElseThrow()
                        .apiBase())
                .contains(URI.create("http://127.0.0.1:12111"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:12111", "ftp://stripe.example", "not a url"})
    void rejectsApiBaseThatIsNotAnHttpUrl(String value) {
        assertThat(problems(with("STRIPE_API_BASE", value)))
                .containsExactly("STRIPE_API_BASE must be a http or https URL with a host");
    }

    @Test
    void summaryMasksTheKeyAndCountsSecretsAndPlans() {
        String summary =
                settings(SettingsFixture.valid()).stripe().orElseThrow().summary();

        assertThat(summary).isEqualTo("key=sk_test_…4f2a webhook_secrets=1 plans=2");
        assertThat(summary).doesNotContain("51HxAbCd");
    }
}
