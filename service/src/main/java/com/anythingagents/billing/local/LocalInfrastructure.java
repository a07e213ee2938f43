package com.anythingagents.billing.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The embedded processes of local mode; {@link #close()} stops them all and is idempotent.
 * Durable (local mode: fsync, synchronous commit and full-page writes on, so a developer's
 * acknowledged events survive a crash like in production) or fast (ephemeral test runs).
 * PostgreSQL may start in the background (each process has its own lock, and {@link #close()}
 * waits for a start under way); what happened is kept for {@link #drainReport()}, because the
 * log is not set up yet while they start.
 */
final class LocalInfrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

    private static Path ephemeralDirectory;

    // Ephemeral runs (tests) pick free ports once per JVM so every context sees the same ones.
    private static final Map<String, Integer> reservedPorts = new ConcurrentHashMap<>();

    private final Path directory;

    private final boolean durable;

    private final List<String> report = new CopyOnWriteArrayList<>();

    private final Object postgresLock = new Object();

    private final Object redisLock = new Object();

    private DirectoryLock lock;

    private EmbeddedPostgres postgres;

    private RedisServer redis;

    LocalInfrastructure(Path directory, boolean durable) {
        this.directory = directory;
        this.durable = durable;
    }

    void startPostgres(int port) {
        synchronized (postgresLock) {
            if (postgres != null) {
                return;
            }
            Path data = directory.resolve("postgres");
            try {
                Files.createDirectories(data);
                claimDirectory();
                stopLeftover(data.resolve("postmaster.pid"), "postgres");
                long started = System.nanoTime();
                postgres = postgres(port, data).start();
                report.add("Embedded PostgreSQL 17 on 127.0.0.1:" + port + " (" + (durable ? "durable" : "fsync off")
                        + ", data in " + data + ") started in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            } catch (IOException ex) {
                throw new UncheckedIOException(
                        "Cannot start embedded PostgreSQL on port " + port + " with data in " + data + ": "
                                + ex.getMessage(),
                        ex);
            }
        }
    }

    private EmbeddedPostgres.Builder postgres(int port, Path data) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                // crash recovery after a kill replays the WAL first: more than zonky's 10 s on a busy box
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200");
        if (durable) {
            // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit=off; a later -c wins
            builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        }
        return builder;
    }

    void startRedis(int port) {
        synchronized (redisLock) {
            if (redis != null) {
                return;
            }
            try {
                claimDirectory();
                Path pidFile = directory.resolve("redis.pid");
                stopLeftover(pidFile, "redis-server");
                redis = RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .setting("pidfile \"" + pidFile + "\"")
                        .build();
                redis.start();
                report.add("Embedded Redis on 127.0.0.1:" + port);
            } catch (IOException ex) {
                throw new UncheckedIOException(
                        "Cannot start embedded Redis on port " + port + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** What starting did since the last call, to be logged once logging is set up. */
    List<String> drainReport() {
        List<String> lines = List.copyOf(report);
        report.removeAll(lines);
        return lines;
    }

    @Override
    public void close() {
        // waits for a start still under way, so nothing it starts is left running
        synchronized (redisLock) {
            if (redis != null) {
                try {
                    redis.stop();
                } catch (IOException ex) {
                    log.warn("Embedded Redis did not stop cleanly: {}", ex.getMessage());
                }
                redis = null;
            }
        }
        synchronized (postgresLock) {
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (IOException ex) {
                    log.warn("Embedded PostgreSQL did not stop cleanly: {}", ex.getMessage());
                }
                postgres = null;
            }
        }
        releaseDirectory();
        if (directory.equals(ephemeralDirectory)) {
            deleteTree(directory); // test data: nothing to keep once the JVM is done
        }
    }

    /**
     * Holding the directory's lock means no other live process runs these databases, so whatever
     * their pid files name was left by one that died.
     */
    private synchronized void claimDirectory() throws IOException {
        if (lock == null) {
            lock = DirectoryLock.acquire(directory);
        }
    }

    private synchronized void releaseDirectory() {
        if (lock == null) {
            return;
        }
        try {
            lock.close();
        } catch (IOException ex) {
            log.warn("Could not release the lock of {}: {}", directory, ex.getMessage());
        }
        lock = null;
    }

    private void stopLeftover(Path pidFile, String program) {
        Leftovers.stop(pidFile, program)
                .ifPresent(pid -> report.add("Stopped " + program + " (pid " + pid
                        + ") left running by a local-mode process that ended without stopping it"));
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ex) {
            log.warn("Could not delete {}: {}", root, ex.getMessage());
        }
    }

    static synchronized Path ephemeralDirectory() {
        if (ephemeralDirectory == null) {
            try {
                ephemeralDirectory = Files.createTempDirectory("billing-local-");
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return ephemeralDirectory;
    }

    static int reservedPort(String name, IntSupplier freePort) {
        return reservedPorts.computeIfAbsent(name, n -> freePort.getAsInt());
    }
}
