package com.anythingagents.billing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service's executable ({@code BillingApplication}) as a real JVM on the test classpath, with an
 * environment the test controls: nothing the service reads is inherited from the build's environment.
 */
public final class BillingProcess implements AutoCloseable {

    private static final List<String> SERVICE_PREFIXES =
            List.of("STRIPE_", "DATABASE_", "AUTH_", "REDIS_", "ENABLE_", "BILLING_", "LOCAL_");

    private final Process process;

    private final Path output;

    private BillingProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code BillingApplication args} in {@code directory}, where it finds its env files,
     * stdout and stderr together in one file there.
     */
    public static BillingProcess start(Path directory, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1",
                "-Dfile.encoding=UTF-8",
                "-Dsun.stdout.encoding=UTF-8",
                "com.anythingagents.billing.BillingApplication"));
        command.addAll(List.of(args));
        Path output = directory.resolve("process-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.keySet()
                .removeIf(
                        name -> name.equals("PORT") || SERVICE_PREFIXES.stream().anyMatch(name::startsWith));
        env.putAll(environment);
        try {
            return new BillingProcess(builder.start(), output);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Waits (bounded) for the process to end; a process still running then is killed and fails the test. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError("Still running after " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Waits (bounded) until the output contains {@code text}; fails early if the process ends first. */
    public void awaitOutput(String text, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive() && !output().contains(text)) {
                throw new AssertionError(
                        "Exited with " + process.exitValue() + " before \"" + text + "\":\n" + output());
            }
            return output().contains(text);
        });
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no graceful stop; returns once the process is gone. */
    public void kill() {
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("pid " + process.pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** SIGTERM so shutdown hooks stop embedded databases, then a bounded wait, then a kill. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
