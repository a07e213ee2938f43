package com.anythingagents.billing.faults;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server the test owns, apart from the service it runs: durable settings like
 * production, one data directory and port for its whole life, so it can crash ({@code kill -9} of
 * the postmaster), stop cleanly and start again while the service keeps running.
 */
final class ExternalPostgres implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(90);

    // zonky passes -F (fsync off) and synchronous_commit=off; the later -c settings win
    private static final List<String> DURABLE =
            List.of("-c fsync=on", "-c synchronous_commit=on", "-c full_page_writes=on", "-c max_connections=200");

    private final EmbeddedPostgres embedded;

    private final Path data;

    private final int port;

    private final Path binaries;

    private ExternalPostgres(EmbeddedPostgres embedded, Path data, int port) {
        this.embedded = embedded;
        this.data = data;
        this.port = port;
        this.binaries = ProcessHandle.of(postmasterPid())
                .flatMap(postmaster -> postmaster.info().command())
                .map(command -> Path.of(command).getParent())
                .orElseThrow(() -> new IllegalStateException("Cannot find the postmaster's binaries"));
    }

    /** initdb (first time) and start in {@code data}, on a free port. */
    static ExternalPostgres start(Path data) {
        int port = freePort();
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(START);
            for (String setting : DURABLE) {
                String[] pair = setting.substring("-c ".length()).split("=", 2);
                builder.setServerConfig(pair[0], pair[1]);
            }
            return new ExternalPostgres(builder.start(), data, port);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    String databaseUrl() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    int port() {
        return port;
    }

    /** The postmaster's pid, from its own lock file. */
    long postmasterPid() {
        try {
            return Long.parseLong(
                    Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code kill -9} of the postmaster; returns once it and every child it had are gone. */
    void crash() {
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid())
                .orElseThrow(() -> new IllegalStateException("The postmaster is not running"));
        List<ProcessHandle> children = postmaster.children().toList();
        postmaster.destroyForcibly();
        awaitExit(postmaster);
        // orphaned backends notice the postmaster's death on their own; a new postmaster refuses to
        // start while they still hold the old shared memory
        children.forEach(ExternalPostgres::awaitExit);
    }

    /** A clean ("fast") shutdown: sessions are ended, a checkpoint is written. */
    void stop() {
        pgCtl("stop", "-D", data.toString(), "-m", "fast", "-w", "-t", "60");
    }

    /** Starts again on the same data directory and port (crash recovery first, after {@link #crash()}). */
    void restart() {
        pgCtl(
                "start",
                "-D",
                data.toString(),
                "-w",
                "-t",
                Long.toString(START.toSeconds()),
                "-l",
                data.resolve("restart.log").toString(),
                "-o",
                "-p " + port + " " + String.join(" ", DURABLE));
    }

    @Override
    public void close() throws IOException {
        embedded.close(); // pg_ctl stop for whatever postmaster serves the data directory now
    }

    private void pgCtl(String... args) {
        List<String> command = new java.util.ArrayList<>();
        if (System.getProperty("user.name").equals("root")) {
            // PostgreSQL refuses to run as root; zonky runs it in a user namespace the same way
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binaries.resolve("pg_ctl").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(data.resolveSibling(data.getFileName() + "-pg_ctl.log")
                            .toFile())
                    .start();
            if (!process.waitFor(START.toSeconds() + 10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("pg_ctl " + args[0] + " failed:\n"
                        + Files.readString(data.resolveSibling(data.getFileName() + "-pg_ctl.log")));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new IllegalStateException("pid " + process.pid() + " did not exit", ex);
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
