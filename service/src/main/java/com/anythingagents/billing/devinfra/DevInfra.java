package com.anythingagents.billing.devinfra;

import com.anythingagents.billing.local.DevDatabases;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * PostgreSQL and Redis for development, without touching local mode's own: with
 * {@code docker compose} when a Docker engine answers, else local mode's embedded ones in a
 * background process of this CLI ({@code dev-infra serve}) that owns them, found again through its
 * pid file. {@link #down} stops whichever runs and leaves no process behind, even after a
 * {@code kill -9} of the background process (its databases are detached from it).
 */
public final class DevInfra {

    /** How the databases run. */
    public enum Backend {
        DOCKER,
        EMBEDDED
    }

    /** What runs now and where. */
    public record Running(Backend backend, String databaseUrl, String redisUrl, Optional<Long> pid) {}

    static final String PID_FILE = "dev-infra.pid";

    static final String DOCKER_MARKER = "docker-compose.started";

    static final String LOG_FILE = "dev-infra.log";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DevInfraSettings settings;

    private final Docker docker;

    private final List<String> self;

    /**
     * @param docker the Docker client to use ({@code docker}, or a path)
     * @param self the command line that runs this CLI ({@code java -jar billing-service.jar})
     */
    public DevInfra(DevInfraSettings settings, String docker, List<String> self) {
        this.settings = settings;
        this.docker = new Docker(docker, settings.projectDirectory());
        this.self = List.copyOf(self);
    }

    public DevInfraSettings settings() {
        return settings;
    }

    /** What runs now, if anything. */
    public Optional<Running> status() {
        if (Files.exists(file(DOCKER_MARKER))) {
            return Optional.of(
                    new Running(Backend.DOCKER, settings.databaseUrl(), settings.redisUrl(), Optional.empty()));
        }
        return owner().map(p ->
                new Running(Backend.EMBEDDED, settings.databaseUrl(), settings.redisUrl(), Optional.of(p.pid())));
    }

    /**
     * Starts them unless they run already.
     * @param dockerAllowed false to use the embedded ones even when Docker answers
     * @throws IllegalStateException with the reason and the log's last lines when they did not start
     */
    public Running up(PrintWriter out, boolean dockerAllowed) {
        Optional<Running> running = status();
        if (running.isPresent()) {
            out.println("Already running (" + describe(running.get()) + ").");
            return running.get();
        }
        if (dockerAllowed && docker.engineAnswers()) {
            out.println("A Docker engine answers: docker compose up (" + DevInfraSettings.COMPOSE_FILE + ", "
                    + DevInfraSettings.COMPOSE_ENV + ")");
            out.flush();
            if (!docker.composeUp()) {
                throw new IllegalStateException("docker compose up failed (its output is above)");
            }
            touch(file(DOCKER_MARKER));
            return status().orElseThrow();
        }
        out.println((dockerAllowed ? "No Docker engine answers (`docker info`), so" : "As asked,")
                + " embedded PostgreSQL 17 and Redis start in the background, data in "
                + settings.dataDirectory());
        out.flush();
        return startEmbedded();
    }

    /** Stops what {@link #up} started; true when nothing of it is left running. */
    public boolean down(PrintWriter out) {
        boolean stopped = false;
        if (Files.exists(file(DOCKER_MARKER))) {
            out.println("docker compose down");
            out.flush();
            if (!docker.composeDown()) {
                out.println("docker compose down failed (its output is above)");
                return false;
            }
            delete(file(DOCKER_MARKER));
            stopped = true;
        }
        Optional<ProcessHandle> owner = owner();
        if (owner.isPresent()) {
            out.println("Stopping the embedded PostgreSQL and Redis (pid "
                    + owner.get().pid() + ")");
            out.flush();
            terminate(owner.get());
            stopped = true;
        }
        boolean leftOver = !stopped && (listening(settings.postgresPort()) || listening(settings.redisPort()));
        if (Files.isDirectory(settings.dataDirectory()) && !DevDatabases.stopLeftovers(settings.dataDirectory())) {
            out.println("Another process holds " + settings.dataDirectory() + ": not stopping what it runs");
            return false;
        }
        if (leftOver && !listening(settings.postgresPort()) && !listening(settings.redisPort())) {
            out.println("Stopped the PostgreSQL and Redis that a killed dev-infra process left running");
            stopped = true;
        }
        delete(file(PID_FILE));
        List<String> listening = new ArrayList<>();
        if (status().isEmpty()) {
            for (int port : List.of(settings.postgresPort(), settings.redisPort())) {
                if (listening(port)) {
                    listening.add("127.0.0.1:" + port);
                }
            }
        }
        if (!listening.isEmpty()) {
            out.println("Stopped ours, but something else still listens on " + String.join(" and ", listening));
            return false;
        }
        out.println(stopped ? "Stopped; nothing left running." : "Nothing was running.");
        return true;
    }

    private Running startEmbedded() {
        try {
            Files.createDirectories(settings.dataDirectory());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        delete(file(PID_FILE)); // a stale one: its process is gone (owner() said so)
        DevDatabases.stopLeftovers(settings.dataDirectory());
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid"); // its own session: a Ctrl-C in this terminal later does not reach it
        }
        command.addAll(self);
        command.addAll(List.of(
                "dev-infra",
                "serve",
                "--data-dir",
                settings.dataDirectory().toString(),
                "--postgres-port",
                Integer.toString(settings.postgresPort()),
                "--redis-port",
                Integer.toString(settings.redisPort()),
                "--user",
                settings.user(),
                "--database",
                settings.database()));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(settings.projectDirectory().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(file(LOG_FILE).toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot start " + String.join(" ", command), ex);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<Running> running = status();
            if (running.isPresent() && listening(settings.postgresPort()) && listening(settings.redisPort())) {
                return running.get();
            }
            if (!process.isAlive() && process.exitValue() != 0) {
                throw new IllegalStateException("The embedded databases did not start:\n" + logTail());
            }
            pause();
        }
        process.destroy();
        throw new IllegalStateException(
                "The embedded databases did not start within " + START_TIMEOUT.toSeconds() + " s:\n" + logTail());
    }

    /**
     * The background process itself: starts both, creates the user and database, writes the pid file
     * once they answer, and runs until SIGTERM, when it stops them and removes the pid file.
     */
    public static void serve(DevInfraSettings settings) throws InterruptedException {
        if (!IDENTIFIER.matcher(settings.user()).matches()
                || !IDENTIFIER.matcher(settings.database()).matches()) {
            throw new IllegalArgumentException("POSTGRES_USER and POSTGRES_DB must be lower-case identifiers");
        }
        DevDatabases databases =
                DevDatabases.start(settings.dataDirectory(), settings.postgresPort(), settings.redisPort());
        Path pidFile = settings.dataDirectory().resolve(PID_FILE);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            databases.close();
                            delete(pidFile);
                        },
                        "dev-infra-stop"));
        createDatabase(settings);
        write(pidFile, Long.toString(ProcessHandle.current().pid()));
        System.out.println(
                "PostgreSQL on 127.0.0.1:" + settings.postgresPort() + " and Redis on 127.0.0.1:" + settings.redisPort()
                        + " are ready; pid " + ProcessHandle.current().pid());
        new CountDownLatch(1).await(); // until SIGTERM: the shutdown hook stops them
    }

    private static void createDatabase(DevInfraSettings settings) {
        String url = "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            // identifiers checked above: lower-case letters, digits and _ only
            if (!exists(statement, "select 1 from pg_roles where rolname = '" + settings.user() + "'")) {
                statement.execute("create role " + settings.user() + " login");
            }
            if (!exists(statement, "select 1 from pg_database where datname = '" + settings.database() + "'")) {
                statement.execute("create database " + settings.database() + " owner " + settings.user());
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("Cannot create the development database: " + ex.getMessage(), ex);
        }
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (var rs = statement.executeQuery(query)) {
            return rs.next();
        }
    }

    /** The live background process named by the pid file (a java process), if any. */
    private Optional<ProcessHandle> owner() {
        Path pidFile = file(PID_FILE);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info()
                            .command()
                            .map(c -> Path.of(c).getFileName().toString().startsWith("java"))
                            .orElse(true));
        } catch (IOException | NumberFormatException ex) {
            return Optional.empty();
        }
    }

    /** SIGTERM (the process stops its databases), then a kill if it does not end in time. */
    private static void terminate(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception ex) {
            process.destroyForcibly();
            try {
                process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // reported by the caller: the ports still answer
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(file(LOG_FILE), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException ex) {
            return "(no log in " + file(LOG_FILE) + ")";
        }
    }

    private static String describe(Running running) {
        return running.backend() == Backend.DOCKER
                ? "docker compose"
                : "embedded, pid " + running.pid().map(String::valueOf).orElse("?");
    }

    private Path file(String name) {
        return settings.dataDirectory().resolve(name);
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the databases", ex);
        }
    }

    private static void touch(Path file) {
        write(file, Instant.now().toString());
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, text + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + file, ex);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot delete " + file, ex);
        }
    }
}
