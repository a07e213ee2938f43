package com.anythingagents.billing.setup;

import com.anythingagents.billing.config.EnvFiles;
import com.anythingagents.billing.devinfra.DevInfra;
import com.anythingagents.billing.doctor.Finding;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * From a fresh clone to a working Stripe (test mode) configuration in one guided run: checks the
 * Stripe CLI, the database and Redis, takes and checks the secret key and the webhook signing
 * secret, maps or creates the plans' prices and the usage meters, then writes {@code .env.local}
 * ({@link EnvLocalFile}) and prints a masked summary and what to run next. Interactive in a
 * terminal; with {@link Prompts#none} every answer comes from the options, the current values and
 * the defaults. Nothing is written unless every step succeeded.
 */
public final class SetupAssistant {

    private final Prompts prompts;

    private final Function<String, String> environment;

    private final Optional<DevInfra> devInfra;

    private final Clock clock;

    /**
     * @param environment the process environment: it wins over the env files, as in the service
     * @param devInfra what {@code make dev-up} starts, to offer it
     */
    public SetupAssistant(
            Prompts prompts, Function<String, String> environment, Optional<DevInfra> devInfra, Clock clock) {
        this.prompts = prompts;
        this.environment = environment;
        this.devInfra = devInfra;
        this.clock = clock;
    }

    /** @return the exit code: 0 when {@code .env.local} holds a working configuration, 1 otherwise */
    public int run(SetupOptions options) {
        EnvLocalFile file = new EnvLocalFile(options.envFile(), clock);
        // what is configured now: the environment over the file being edited over the .env beside it
        Map<String, String> files =
                new HashMap<>(EnvFiles.readFile(options.envFile().resolveSibling(".env")));
        files.putAll(file.values());
        SetupRun run = new SetupRun(
                prompts,
                options,
                name -> Optional.ofNullable(environment.apply(name)).orElse(files.get(name)));
        prompts.say("Stripe setup for the billing service: checks what billing needs, then writes " + shown(file.path())
                + " (the previous file is kept as a backup).");
        Optional<StripeCli> cli = EnvironmentStep.stripeCli(run);
        EnvironmentStep.databases(run, devInfra);
        boolean complete = KeyStep.run(run) && WebhookStep.run(run, cli) && CatalogStep.run(run);
        if (!complete) {
            prompts.say("");
            prompts.say("Nothing written to " + shown(file.path()) + ": fix the error above and run setup again.");
            return 1;
        }
        write(run, file);
        nextSteps(run, cli);
        return 0;
    }

    private void write(SetupRun run, EnvLocalFile file) {
        run.heading("Writing " + shown(file.path()));
        EnvLocalFile.Update update = file.set(run.changes);
        if (update.changed()) {
            run.report(Finding.ok(
                    ".env.local",
                    "written, mode 0600"
                            + update.backup()
                                    .map(b -> "; the previous file is " + b.getFileName() + " (mode 0600)")
                                    .orElse("")));
        } else {
            run.report(Finding.ok(".env.local", "already holds these values: unchanged"));
        }
        for (Map.Entry<String, String> change : run.changes.entrySet()) {
            prompts.say("  " + change.getKey() + "=" + SetupRun.shown(change.getKey(), change.getValue()));
            String exported = environment.apply(change.getKey());
            if (exported != null && !exported.equals(change.getValue())) {
                run.report(Finding.warning(
                        change.getKey(),
                        "also set in the environment, which wins over .env.local",
                        "unset it (unset " + change.getKey() + ") or the service keeps using the environment's"));
            }
        }
    }

    /** A path under the working directory as the developer typed it (relative), others whole. */
    public static String shown(Path path) {
        Path here = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(here) ? here.relativize(absolute).toString() : absolute.toString();
    }

    private void nextSteps(SetupRun run, Optional<StripeCli> cli) {
        run.heading("Next");
        prompts.say("  make doctor      # checks all of this: database, Redis, key, prices, meters, webhook endpoints");
        prompts.say(
                run.effective("DATABASE_URL").isEmpty()
                        ? "  make run         # local mode (embedded PostgreSQL and Redis) with this Stripe"
                        : "  make migrate     # then: make run");
        if (cli.isPresent()
                && run.options.webhookUrl().isEmpty()
                && run.options.webhookSecret().isEmpty()) {
            prompts.say("  stripe listen --forward-to " + WebhookStep.forwardTo(run)
                    + "   # in another terminal: Stripe's events to this machine");
        }
    }
}
