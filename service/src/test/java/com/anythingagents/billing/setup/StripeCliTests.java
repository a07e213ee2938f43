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

/**
 * The Stripe CLI as the assistant uses it, played by a script that answers like it and records how
 * it was called (the real CLI is not installed here, and needs an account).
 */
class StripeCliTests {

    private static final String LISTEN_SECRET = "whsec_fromStripeListen0123456789abcd";

    @TempDir
    Path directory;

    private final SetupFixture setup = new SetupFixture();

    @AfterEach
    void stopEmulator() {
        setup.close();
    }

    @Test
    void takesTheWebhookSecretFromStripeListenWhenLoggedIn() throws Exception {
        Path stripe = fakeCli(true);
        Path envFile = directory.resolve(".env.local");

        int exit = setup.run(options(envFile, stripe), null);

        assertThat(exit).as(setup.output()).isZero();
        assertThat(new EnvLocalFile(envFile, java.time.Clock.systemUTC()).values())
                .containsEntry("STRIPE_WEBHOOK_SECRET", LISTEN_SECRET);
        assertThat(Files.readAllLines(directory.resolve("calls")))
                .contains(
                        "--version",
                        "config --list",
                        "listen --print-secret --forward-to http://localhost:8000/webhooks/stripe key-in-env=yes");
        assertThat(setup.output())
                .contains("ok       stripe cli: stripe version 1.21.8, logged in")
                .contains("from `stripe listen` (whsec_…abcd)")
                .contains("stripe listen --forward-to http://localhost:8000/webhooks/stripe")
                .doesNotContain(LISTEN_SECRET);
    }

    @Test
    void offersLoginWhenTheCliIsNotLoggedInAndGoesOnWithoutIt() throws Exception {
        Path stripe = fakeCli(false);
        Path envFile = directory.resolve(".env.local");
        SetupOptions options = options(envFile, stripe);
        options = new SetupOptions(
                options.envFile(),
                options.secretKey(),
                false,
                options.apiBase(),
                false,
                Optional.of("whsec_given0123456789abcdef0123"),
                Optional.empty(),
                Optional.empty(),
                options.stripeCli(),
                Map.of(),
                Map.of(),
                Optional.empty(),
                Map.of(),
                false,
                false);

        int exit = setup.run(options, null);

        assertThat(exit).as(setup.output()).isZero();
        assertThat(setup.output())
                .contains("warning  stripe cli: stripe version 1.21.8, not logged in")
                .contains("fix: `stripe login`");
        assertThat(Files.readAllLines(directory.resolve("calls"))).noneMatch(call -> call.startsWith("listen"));
    }

    @Test
    void worksWithoutTheCli() {
        SetupOptions options = options(directory.resolve(".env.local"), directory.resolve("no-such-stripe"));
        options = new SetupOptions(
                options.envFile(),
                options.secretKey(),
                false,
                options.apiBase(),
                false,
                Optional.of("whsec_given0123456789abcdef0123"),
                Optional.empty(),
                Optional.empty(),
                options.stripeCli(),
                Map.of(),
                Map.of(),
                Optional.empty(),
                Map.of(),
                false,
                false);

        assertThat(setup.run(options, null)).as(setup.output()).isZero();
        assertThat(setup.output()).contains("info     stripe cli: not installed (optional");
    }

    private SetupOptions options(Path envFile, Path stripe) {
        return new SetupOptions(
                envFile,
                Optional.of(SetupFixture.KEY),
                false,
                Optional.of(setup.apiBase()),
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(stripe.toString()),
                Map.of(),
                Map.of(),
                Optional.empty(),
                Map.of(),
                false,
                false);
    }

    /** A `stripe` that records each call (never the key: only whether it came in the environment). */
    private Path fakeCli(boolean loggedIn) throws Exception {
        Path script = directory.resolve("stripe");
        Files.writeString(script, """
                #!/bin/sh
                calls="%s"
                case "$1" in
                  --version) echo "--version" >> "$calls"; echo "stripe version 1.21.8" ;;
                  config) echo "$*" >> "$calls"; %s ;;
                  listen) echo "$* key-in-env=$([ -n "$STRIPE_API_KEY" ] && echo yes || echo no)" >> "$calls"
                          echo "%s" ;;
                  *) echo "$*" >> "$calls"; exit 1 ;;
                esac
                """.formatted(
                        directory.resolve("calls"),
                        loggedIn
                                ? "printf '[default]\\naccount_id = acct_1Test\\ntest_mode_api_key = rk_test_hidden\\n'"
                                : "printf '[default]\\n'",
                        LISTEN_SECRET));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
