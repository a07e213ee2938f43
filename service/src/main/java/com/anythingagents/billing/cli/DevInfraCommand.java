package com.anythingagents.billing.cli;

import com.anythingagents.billing.devinfra.DevInfra;
import com.anythingagents.billing.devinfra.DevInfraSettings;
import com.anythingagents.billing.local.LocalMode;
import com.anythingagents.billing.setup.DevInfraValues;
import com.anythingagents.billing.setup.EnvLocalFile;
import com.anythingagents.billing.setup.Prompts;
import com.anythingagents.billing.setup.SetupAssistant;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code make dev-up} / {@code make dev-down}: PostgreSQL and Redis for development. */
@Command(
        name = "dev-infra",
        description = "PostgreSQL and Redis for development: docker compose when a Docker engine answers, else"
                + " embedded ones in the background (make dev-up / make dev-down).",
        subcommands = {
            DevInfraCommand.Up.class,
            DevInfraCommand.Down.class,
            DevInfraCommand.Status.class,
            DevInfraCommand.Serve.class
        })
final class DevInfraCommand {

    private DevInfraCommand() {}

    static DevInfra devInfra(Function<String, String> vars, String docker) {
        Path project = Path.of(
                        Optional.ofNullable(vars.apply("BILLING_ENV_DIR")).orElse("."))
                .toAbsolutePath()
                .normalize();
        Path data = LocalMode.directory(vars).resolve("dev-infra");
        return new DevInfra(DevInfraSettings.of(project, data, vars), docker, SelfCommand.get());
    }

    static Path envFile(Function<String, String> vars) {
        return Path.of(Optional.ofNullable(vars.apply("BILLING_ENV_DIR")).orElse("."))
                .resolve(".env.local")
                .toAbsolutePath()
                .normalize();
    }

    @Command(name = "up", description = "Start them (unless running) and print DATABASE_URL and REDIS_URL.")
    static final class Up implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--write-env", description = "write DATABASE_URL and REDIS_URL to .env.local without asking")
        boolean writeEnv;

        @Option(names = "--embedded", description = "the embedded ones even when a Docker engine answers")
        boolean embedded;

        @Option(
                names = "--docker",
                defaultValue = "docker",
                description = "the Docker client (default ${DEFAULT-VALUE})")
        String docker;

        @Override
        public Integer call() {
            CliLogging.quiet();
            PrintWriter out = spec.commandLine().getOut();
            Function<String, String> vars = CommandSettings.variables();
            DevInfra.Running running;
            try {
                running = devInfra(vars, docker).up(out, !embedded);
            } catch (IllegalStateException ex) {
                out.println(ex.getMessage());
                return 1;
            }
            out.println("Running ("
                    + (running.backend() == DevInfra.Backend.DOCKER
                            ? "docker compose"
                            : "embedded, pid " + running.pid().orElseThrow())
                    + "):");
            Map<String, String> values = DevInfraValues.of(
                    running, name -> Optional.ofNullable(vars.apply(name)).filter(v -> !v.isBlank()));
            values.forEach((name, value) -> out.println("  " + name + "=" + value));
            Prompts prompts = System.console() != null ? Prompts.terminal(out, System.console()) : Prompts.none(out);
            Path envFile = envFile(vars);
            String shown = SetupAssistant.shown(envFile);
            if (writeEnv || (prompts.interactive() && prompts.confirm("Write them to " + shown + "?", true))) {
                EnvLocalFile.Update update = new EnvLocalFile(envFile, Clock.systemUTC()).set(values);
                out.println(
                        update.changed()
                                ? "Wrote them to " + shown + " (mode 0600"
                                        + update.backup()
                                                .map(b -> "; previous file kept as " + b.getFileName())
                                                .orElse("")
                                        + ")."
                                : shown + " already has them.");
            } else {
                out.println("Not written to " + shown + " (make dev-up ARGS=--write-env writes them).");
            }
            out.println("Next: make migrate. Stop them with make dev-down.");
            return 0;
        }
    }

    @Command(name = "down", description = "Stop what `up` started; nothing is left running.")
    static final class Down implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(
                names = "--docker",
                defaultValue = "docker",
                description = "the Docker client (default ${DEFAULT-VALUE})")
        String docker;

        @Override
        public Integer call() {
            CliLogging.quiet();
            return devInfra(CommandSettings.variables(), docker)
                            .down(spec.commandLine().getOut())
                    ? 0
                    : 1;
        }
    }

    @Command(name = "status", description = "Print what runs, if anything; exit 1 when nothing does.")
    static final class Status implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<DevInfra.Running> running =
                    devInfra(CommandSettings.variables(), "docker").status();
            if (running.isEmpty()) {
                out.println("Not running (make dev-up starts them).");
                return 1;
            }
            out.println("Running (" + running.get().backend().name().toLowerCase(java.util.Locale.ROOT)
                    + running.get().pid().map(pid -> ", pid " + pid).orElse("") + "): DATABASE_URL="
                    + running.get().databaseUrl() + " REDIS_URL="
                    + running.get().redisUrl());
            return 0;
        }
    }

    /** The background process `up` starts when there is no Docker engine. */
    @Command(name = "serve", hidden = true, description = "Run the embedded databases until SIGTERM.")
    static final class Serve implements Callable<Integer> {

        @Option(names = "--data-dir", required = true)
        Path dataDir;

        @Option(names = "--postgres-port", required = true)
        int postgresPort;

        @Option(names = "--redis-port", required = true)
        int redisPort;

        @Option(names = "--user", required = true)
        String user;

        @Option(names = "--database", required = true)
        String database;

        @Override
        public Integer call() throws InterruptedException {
            CliLogging.informative();
            DevInfra.serve(new DevInfraSettings(
                    Path.of(".").toAbsolutePath(), dataDir, postgresPort, redisPort, user, database));
            return 0;
        }
    }
}
