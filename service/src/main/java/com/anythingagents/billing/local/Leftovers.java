package com.anythingagents.billing.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes a killed local-mode JVM left running. Its embedded PostgreSQL and Redis are not its
 * children once started (pg_ctl detaches the postmaster), so a {@code kill -9}, an OOM kill or a
 * crashed terminal leaves them listening on local mode's ports: the next start would attach to them
 * or fail to bind. Found through their pid files and stopped, but only by a process that holds the
 * directory's lock, so never while a live local-mode process owns them.
 */
final class Leftovers {

    private static final Logger log = LoggerFactory.getLogger(Leftovers.class);

    /** A clean PostgreSQL shutdown checkpoints first; after this long a kill is the lesser evil. */
    private static final Duration GRACE = Duration.ofSeconds(20);

    private Leftovers() {}

    /**
     * Stops the process named in the first line of {@code pidFile} if it is alive and runs
     * {@code program}, with its children; a stale file (the pid is gone or reused) is ignored.
     */
    static void stop(Path pidFile, String program) {
        leftover(pidFile, program).ifPresent(process -> {
            log.warn(
                    "Stopping {} (pid {}) left running by a local-mode process that ended without stopping it",
                    program,
                    process.pid());
            List<ProcessHandle> children = process.children().toList();
            process.destroy(); // SIGTERM: PostgreSQL shuts down cleanly, Redis exits
            if (!awaitExit(process, GRACE)) {
                process.destroyForcibly();
                awaitExit(process, GRACE);
            }
            // a killed postmaster's children hold its shared memory for a moment: a new one refuses to
            // start on the same data directory until they are gone
            children.forEach(child -> awaitExit(child, GRACE));
        });
    }

    private static Optional<ProcessHandle> leftover(Path pidFile, String program) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            String firstLine =
                    Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
            return ProcessHandle.of(Long.parseLong(firstLine))
                    .filter(ProcessHandle::isAlive)
                    .filter(process -> process.info()
                            .command()
                            .map(command -> Path.of(command).getFileName().toString())
                            .filter(name -> name.startsWith(program))
                            .isPresent());
        } catch (IOException | NumberFormatException ex) {
            return Optional.empty(); // unreadable or half-written: nothing we can safely stop
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException ex) {
            return false;
        } catch (java.util.concurrent.ExecutionException ex) {
            return !process.isAlive();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
