package com.anythingagents.billing.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assistant against a Stripe emulator, driven the way a developer or a CI job drives it. */
class SetupAssistantTests {

    @TempDir
    Path directory;

    private final SetupFixture setup = new SetupFixture();

    @AfterEach
    void stopEmulator() {
        setup.close();
    }

    @Test
    void interactiveRunWritesTheNewValuesKeepsEveryOtherLineAndBacksUpTheOldFile() throws Exception {
        Path envFile = directory.resolve(".env.local");
        String before = """
                # my local overrides
                PORT=8100
                STRIPE_SECRET_KEY=sk_test_old0000000000000000
                # STRIPE_PRODUCT_PRICE_MAP=starter=price_replace_me
                LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs # JSON logs
                """;
        Files.writeString(envFile, before);
        setup.current.put("STRIPE_API_BASE", setup.emulator.baseUrl());
        setup.current.putAll(Map.of("PORT", "8100", "STRIPE_SECRET_KEY", "sk_test_old0000000000000000"));
        String answers = String.join(
                "\n",
                SetupFixture.KEY, // the secret key, hidden
                "whsec_interactive0123456789abcdef", // no Stripe CLI: the webhook secret is asked
                "create",
                "starter=1900,team=4900",
                "eur",
                "agent_runs=agent_run:3",
                "");

        int exit = setup.run(SetupFixture.options(envFile), answers);

        assertThat(exit).as(setup.output()).isZero();
        Map<String, String> written = new EnvLocalFile(envFile, java.time.Clock.systemUTC()).values();
        assertThat(written)
                .containsEntry("ENABLE_BILLING", "true")
                .containsEntry("STRIPE_SECRET_KEY", SetupFixture.KEY)
                .containsEntry("STRIPE_WEBHOOK_SECRET", "whsec_interactive0123456789abcdef")
                .containsEntry("BILLING_USAGE_METERS", "agent_runs=agent_run")
                .containsEntry("PORT", "8100");
        assertThat(written.get("STRIPE_PRODUCT_PRICE_MAP")).matches("starter=price_\\w+,team=price_\\w+");
        String text = Files.readString(envFile);
        assertThat(text)
                .contains("# my local overrides\nPORT=8100\nSTRIPE_SECRET_KEY=" + SetupFixture.KEY + "\n")
                .contains(
                        "# STRIPE_PRODUCT_PRICE_MAP=starter=price_replace_me\nSTRIPE_PRODUCT_PRICE_MAP=starter=price_")
                .contains("LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs # JSON logs");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)))
                .isEqualTo("rw-------");
        Path backup;
        try (var files = Files.list(directory)) {
            backup = files.filter(f -> f.getFileName().toString().startsWith(".env.local.bak-"))
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(Files.readString(backup)).isEqualTo(before);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
                .isEqualTo("rw-------");
        assertThat(setup.output())
                .contains("created: price ", "(unit_amount 1900 eur per month, lookup key starter_monthly)")
                .contains("(unit_amount 3 eur per unit of agent_run, lookup key agent_runs_metered)")
                .contains("STRIPE_SECRET_KEY=sk_test_…0000")
                .contains("make doctor")
                .doesNotContain(SetupFixture.KEY)
                .doesNotContain("whsec_interactive0123456789abcdef");
    }

    @Test
    void aSecondRunFindsEverythingAndCreatesNothing() {
        Path envFile = directory.resolve(".env.local");
        SetupOptions o = nonInteractive(envFile);
        SetupOptions options = new SetupOptions(
                o.envFile(),
                o.secretKey(),
                false,
                o.apiBase(),
                false,
                o.webhookSecret(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                SetupOptions.DEFAULT_PLANS,
                Optional.empty(),
                Map.of(),
                false,
                false);
        assertThat(setup.run(options, null)).as(setup.output()).isZero();
        long afterFirst = setup.objects();
        assertThat(afterFirst)
                .as("2 products and prices for the plans, a product, a price and a meter for usage")
                .isEqualTo(7);

        assertThat(setup.run(options, null)).as(setup.output()).isZero();

        assertThat(setup.objects()).isEqualTo(afterFirst);
        assertThat(setup.output())
                .contains("found: price ", "(lookup key starter_monthly)", "found: meter ")
                .contains("nothing created: every product, price and meter exists already")
                .contains(".env.local: already holds these values: unchanged");
    }

    @Test
    void aRerunWithoutPlanFlagsKeepsTheConfiguredPricesAndChecksTheirMeters() {
        Path envFile = directory.resolve(".env.local");
        assertThat(setup.run(nonInteractive(envFile), null)).as(setup.output()).isZero();
        long afterFirst = setup.objects();

        assertThat(setup.run(nonInteractive(envFile), null)).as(setup.output()).isZero();

        assertThat(setup.objects()).isEqualTo(afterFirst);
        assertThat(setup.output())
                .contains("ok       price starter: price_")
                .contains("ok       meter agent_runs: mtr_")
                .contains("nothing created: the mapped prices and the configured meters exist");
    }

    @Test
    void nonInteractiveRunTakesEverythingFromFlags() throws Exception {
        Path envFile = directory.resolve(".env.local");

        int exit = setup.run(nonInteractive(envFile), null);

        assertThat(exit).as(setup.output()).isZero();
        Map<String, String> written = new EnvLocalFile(envFile, java.time.Clock.systemUTC()).values();
        assertThat(written)
                .containsEntry("STRIPE_API_BASE", setup.emulator.baseUrl())
                .containsEntry("STRIPE_WEBHOOK_SECRET", "whsec_flags0123456789abcdef0123")
                .containsEntry("BILLING_USAGE_METERS", "agent_runs=agent_run");
        assertThat(written.get("STRIPE_PRODUCT_PRICE_MAP")).matches("starter=price_\\w+,pro=price_\\w+");
        assertThat(setup.output()).contains("(unit_amount 2900 usd per month, lookup key starter_monthly)");
    }

    @Test
    void aPublishableKeyIsNamedAndNothingIsWritten() {
        Path envFile = directory.resolve(".env.local");
        SetupOptions options = withKey(nonInteractive(envFile), "pk_test_51PublishableKey00000000");

        int exit = setup.run(options, null);

        assertThat(exit).isEqualTo(1);
        assertThat(setup.output())
                .contains("error    secret key: pk_test_…0000 is a publishable key: the service needs the secret one")
                .contains("fix: use a key starting with sk_test_ or rk_test_")
                .contains("Nothing written")
                .doesNotContain("51PublishableKey");
        assertThat(envFile).doesNotExist();
    }

    @Test
    void aLiveKeyNeedsTheLiveFlag() {
        Path envFile = directory.resolve(".env.local");
        String live = "sk_" + "live_" + "51LiveKeyForTheTest000000";

        int exit = setup.run(withKey(nonInteractive(envFile), live), null);

        assertThat(exit).isEqualTo(1);
        assertThat(setup.output())
                .contains("is a LIVE key: real customers, real charges")
                .contains("or pass --live to set up live mode on purpose")
                .doesNotContain("51LiveKeyForTheTest");
        assertThat(envFile).doesNotExist();
    }

    @Test
    void aKeyStripeRefusesStopsBeforeAnythingIsWritten() {
        Path envFile = directory.resolve(".env.local");
        // the emulator takes sk_test_ keys only, as a real account refuses a revoked one
        int exit = setup.run(withKey(nonInteractive(envFile), "rk_test_51RestrictedKey0000000"), null);

        assertThat(exit).isEqualTo(1);
        assertThat(setup.output())
                .contains("error    stripe key: Stripe at " + setup.emulator.baseUrl() + " refused rk_test_…");
        assertThat(envFile).doesNotExist();
    }

    @Test
    void anUnreachableDatabaseIsReportedPlainlyWithoutItsPassword() {
        setup.current.put("DATABASE_URL", "postgresql://billing:s3cretpw@127.0.0.1:1/billing");

        setup.run(nonInteractive(directory.resolve(".env.local")), null);

        assertThat(setup.output())
                .contains("error    database: 127.0.0.1:1/billing as billing does not answer: Connection to 127.0.0.1:1"
                        + " refused")
                .contains("fix: start it (`make dev-up` starts PostgreSQL and Redis for development) or correct"
                        + " DATABASE_URL")
                .doesNotContain("s3cretpw");
    }

    @Test
    void aWebhookSecretWithoutItsPrefixIsRefused() {
        Path envFile = directory.resolve(".env.local");
        SetupOptions options = nonInteractive(envFile);
        options = new SetupOptions(
                options.envFile(),
                options.secretKey(),
                false,
                options.apiBase(),
                false,
                Optional.of("sk_test_pasted_in_the_wrong_box_0000"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Map.of(),
                Optional.empty(),
                Map.of(),
                false,
                false);

        assertThat(setup.run(options, null)).isEqualTo(1);
        assertThat(setup.output())
                .contains("error    webhook secret: sk_test_…0000 is not a webhook signing secret")
                .doesNotContain("pasted_in_the_wrong_box");
        assertThat(envFile).doesNotExist();
    }

    private SetupOptions nonInteractive(Path envFile) {
        return new SetupOptions(
                envFile,
                Optional.of(SetupFixture.KEY),
                false,
                Optional.of(setup.apiBase()),
                false,
                Optional.of("whsec_flags0123456789abcdef0123"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Map.of(),
                Optional.empty(),
                Map.of(),
                false,
                false);
    }

    private static SetupOptions withKey(SetupOptions o, String key) {
        return new SetupOptions(
                o.envFile(),
                Optional.of(key),
                o.live(),
                o.apiBase(),
                o.offline(),
                o.webhookSecret(),
                o.webhookUrl(),
                o.forwardTo(),
                o.stripeCli(),
                o.prices(),
                o.plans(),
                o.currency(),
                o.meters(),
                o.noMeters(),
                o.devUp());
    }
}
