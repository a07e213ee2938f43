package com.anythingagents.billing.cli;

import com.anythingagents.billing.setup.Prompts;
import com.anythingagents.billing.setup.SetupAssistant;
import com.anythingagents.billing.setup.SetupOptions;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code make stripe-setup}: the guided Stripe setup (interactive in a terminal, flags for CI). */
@Command(
        name = "setup",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Guided Stripe setup: checks the Stripe CLI, the database and Redis, the secret key and the webhook"
                    + " signing secret, maps or creates the plans' prices and the usage meters, then writes .env.local"
                    + " (backup kept, mode 0600).",
            "Interactive in a terminal; --non-interactive takes every answer from the flags, the current values"
                    + " (environment, .env.local) and the defaults."
        })
final class SetupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--non-interactive", description = "never ask (the default without a terminal)")
    boolean nonInteractive;

    @Option(
            names = "--interactive",
            description = "ask even without a terminal, reading the answers line by line from standard input")
    boolean interactive;

    @Option(names = "--env-file", description = "the file to write (default: .env.local)")
    Path envFile;

    @Option(
            names = "--secret-key",
            description = "sk_test_… or rk_test_… (else STRIPE_SECRET_KEY, or asked; prefer the variable in CI)")
    String secretKey;

    @Option(names = "--live", description = "allow a live-mode key (sk_live_/rk_live_): real charges")
    boolean live;

    @Option(names = "--api-base", description = "where the Stripe SDK goes (the emulator: http://127.0.0.1:12111)")
    URI apiBase;

    @Option(names = "--offline", description = "do not call Stripe (then map existing prices with --prices)")
    boolean offline;

    @Option(
            names = "--webhook-secret",
            description = "the endpoint's signing secret, whsec_… (comma-separated: several)")
    String webhookSecret;

    @Option(
            names = "--webhook-url",
            description = "a hosted endpoint URL (https://<host>/webhooks/stripe): found, or created on the SDK's API"
                    + " version with the events the service handles")
    String webhookUrl;

    @Option(
            names = "--forward-to",
            description = "where `stripe listen` forwards (default http://localhost:$PORT/webhooks/stripe)")
    String forwardTo;

    @Option(names = "--stripe-cli", defaultValue = "stripe", description = "the Stripe CLI (default ${DEFAULT-VALUE})")
    String stripeCli;

    @Option(names = "--no-stripe-cli", description = "do not use the Stripe CLI even if it is installed")
    boolean noStripeCli;

    @Option(
            names = "--prices",
            split = ",",
            paramLabel = "plan=price_…",
            description = "map plans to existing prices (checked against Stripe)")
    Map<String, String> prices = new LinkedHashMap<>();

    @Option(
            names = "--plans",
            split = ",",
            paramLabel = "plan=amount",
            description = "create (or find) a product and a monthly price per plan; amounts in minor units (cents);"
                    + " default starter=2900,pro=9900")
    Map<String, Long> plans = new LinkedHashMap<>();

    @Option(names = "--currency", description = "of the created prices (default usd)")
    String currency;

    @Option(
            names = "--meters",
            split = ",",
            paramLabel = "feature=event:amount",
            description = "usage features: a billing meter per event name and a metered price per unit in minor"
                    + " units; default agent_runs=agent_run:2")
    Map<String, String> meters = new LinkedHashMap<>();

    @Option(names = "--no-meters", description = "no metered usage features")
    boolean noMeters;

    @Option(names = "--dev-up", description = "start PostgreSQL and Redis for development first (make dev-up)")
    boolean devUp;

    @Override
    public Integer call() {
        CliLogging.quiet();
        if (interactive && nonInteractive) {
            throw new ParameterException(spec.commandLine(), "--interactive and --non-interactive exclude each other");
        }
        Function<String, String> vars = CommandSettings.variables();
        PrintWriter out = spec.commandLine().getOut();
        SetupAssistant assistant = new SetupAssistant(
                prompts(out), System::getenv, Optional.of(DevInfraCommand.devInfra(vars, "docker")), Clock.systemUTC());
        return assistant.run(options(vars));
    }

    private Prompts prompts(PrintWriter out) {
        if (nonInteractive) {
            return Prompts.none(out);
        }
        if (interactive) {
            return Prompts.scripted(out, new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        return System.console() != null ? Prompts.terminal(out, System.console()) : Prompts.none(out);
    }

    SetupOptions options(Function<String, String> vars) {
        return new SetupOptions(
                envFile != null ? envFile.toAbsolutePath() : DevInfraCommand.envFile(vars),
                Optional.ofNullable(secretKey),
                live,
                Optional.ofNullable(apiBase),
                offline,
                Optional.ofNullable(webhookSecret),
                Optional.ofNullable(webhookUrl),
                Optional.ofNullable(forwardTo),
                noStripeCli ? Optional.empty() : Optional.of(stripeCli),
                prices,
                plans,
                Optional.ofNullable(currency),
                meters,
                noMeters,
                devUp);
    }
}
