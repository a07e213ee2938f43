package com.anythingagents.billing.docs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A fresh clone as far as the commands can tell: every file of the repository linked in (sources,
 * Makefile, the built jar), but its own {@code .env.local}, {@code .local/} and free ports, so what
 * the docs' commands write and start never touches the developer's, and two runs never collide.
 */
final class Sandbox implements AutoCloseable {

    /** Never linked: the developer's configuration and data, and what git keeps. */
    private static final Set<String> PRIVATE = Set.of(".git", ".local", ".env", "node_modules");

    private static final List<String> SERVICE_PREFIXES =
            List.of("STRIPE_", "DATABASE_", "AUTH_", "REDIS_", "ENABLE_", "BILLING_", "LOCAL_", "DEV_");

    private static final Set<String> MAKE_VARIABLES = Set.of("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES");

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);

    /** A command's exit code and its output (stdout and stderr). */
    record Result(int exit, String output) {}

    final Path directory;

    final Map<String, String> ports = new HashMap<>();

    private final Map<String, String> environment = new HashMap<>();

    /** Commands running until stopped, by role ("service", "emulator"): one of each at a time. */
    private final Map<String, Process> background = new LinkedHashMap<>();

    Sandbox(Path repository) {
        try {
            directory = Files.createTempDirectory("docs-check-");
            try (var entries = Files.list(repository)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    if (!PRIVATE.contains(name) && !name.startsWith(".env.local")) {
                        Files.createSymbolicLink(directory.resolve(name), entry.toAbsolutePath());
                    }
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        System.getenv().forEach((name, value) -> {
            boolean service = name.equals("PORT")
                    || name.equals("EMULATOR_PORT")
                    || SERVICE_PREFIXES.stream().anyMatch(name::startsWith);
            if (!service && !MAKE_VARIABLES.contains(name)) {
                environment.put(name, value);
            }
        });
        for (String port : List.of(
                "PORT",
                "LOCAL_POSTGRES_PORT",
                "LOCAL_REDIS_PORT",
                "LOCAL_STRIPE_PORT",
                "EMULATOR_PORT",
                "DEV_POSTGRES_PORT",
                "DEV_REDIS_PORT")) {
            ports.put(port, Integer.toString(freePort()));
        }
        environment.putAll(ports);
    }

    String port(String name) {
        return ports.get(name);
    }

    Result run(String command) {
        Path output = directory.resolve(".docs-check-" + System.nanoTime() + ".log");
        try {
            Process process = builder(command, output).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                return new Result(-1, read(output) + "\n(still running after " + COMMAND_TIMEOUT.toMinutes() + " min)");
            }
            return new Result(process.exitValue(), read(output));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Starts a command that runs until stopped (after stopping the one running in the same role) and
     * waits until {@code ready} (bounded); it is stopped with the sandbox.
     * @return empty when it is ready, else why not (with its output)
     */
    Optional<String> start(String role, String command, Ready ready, Duration timeout) {
        Optional.ofNullable(background.remove(role)).ifPresent(Sandbox::stop);
        Path output = directory.resolve(".docs-check-" + System.nanoTime() + ".log");
        Process process;
        try {
            process = builder(command, output).start();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        background.put(role, process);
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (ready.check(this)) {
                return Optional.empty();
            }
            if (!process.isAlive()) {
                return Optional.of(
                        "ended with exit " + process.exitValue() + " before it was ready:\n" + tail(read(output)));
            }
            pause();
        }
        return Optional.of("not ready after " + timeout.toSeconds() + " s:\n" + tail(read(output)));
    }

    /** Stops the background commands started so far (the ones the docs run "in another terminal"). */
    void stopBackground() {
        background.values().forEach(Sandbox::stop);
        background.clear();
    }

    /** A readiness probe for {@link #start}. */
    interface Ready {
        boolean check(Sandbox sandbox);
    }

    static Ready healthy(String portName) {
        return sandbox -> {
            try {
                HttpURLConnection connection = (HttpURLConnection)
                        URI.create("http://127.0.0.1:" + sandbox.port(portName) + "/actuator/health")
                                .toURL()
                                .openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(5000);
                return connection.getResponseCode() == 200;
            } catch (IOException ex) {
                return false;
            }
        };
    }

    static Ready listening(String portName) {
        return sandbox -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(sandbox.port(portName))), 1000);
                return true;
            } catch (IOException ex) {
                return false;
            }
        };
    }

    @Override
    public void close() {
        stopBackground();
        if (Files.exists(directory.resolve(".local/dev-infra/dev-infra.pid"))) {
            run("java -jar service/target/billing-service.jar dev-infra down"); // what `make dev-up` left
        }
        try (var paths = Files.walk(directory)) {
            // links are deleted, never followed: the repository stays as it is
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ex) {
            // a temporary directory: the system cleans it up eventually
        }
    }

    private ProcessBuilder builder(String command, Path output) {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    /** SIGTERM to the whole tree (make, then the JVM under it, whose shutdown stops its databases), then a kill. */
    private static void stop(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception ex) {
                handle.destroyForcibly();
            }
        }
    }

    static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            return "";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
