package com.anythingagents.billing.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/** The embedded processes of local mode; {@link #close()} stops them all and is idempotent. */
final class LocalInfrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

    private static Path ephemeralDirectory;

    // Ephemeral runs (tests) pick free ports once per JVM so every context sees the same ones.
    private static final Map<String, Integer> reservedPorts = new ConcurrentHashMap<>();

    private final Path directory;

    private EmbeddedPostgres postgres;

    private RedisServer redis;

    LocalInfrastructure(Path directory) {
        this.directory = directory;
    }

    synchronized void startPostgres(int port) {
        if (postgres != null) {
            return;
        }
        try {
            Path data = directory.resolve("postgres");
            Files.createDirectories(data);
            long started = System.nanoTime();
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "200")
                    .start();
            log.info(
                    "Embedded PostgreSQL 17 on 127.0.0.1:{} (data in {}) started in {} ms",
                    port,
                    data,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException ex) {
            throw new UncheckedIOException(
                    "Cannot start embedded PostgreSQL on port " + port + " with data in "
                            + directory.resolve("postgres") + ": " + ex.getMessage(),
                    ex);
        }
    }

    synchronized void startRedis(int port) {
        if (redis != null) {
            return;
        }
        try {
            redis = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            redis.start();
            log.info("Embedded Redis on 127.0.0.1:{}", port);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot start embedded Redis on port " + port + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized void close() {
        if (redis != null) {
            try {
                redis.stop();
            } catch (IOException ex) {
                log.warn("Embedded Redis did not stop cleanly: {}", ex.getMessage());
            }
            redis = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException ex) {
                log.warn("Embedded PostgreSQL did not stop cleanly: {}", ex.getMessage());
            }
            postgres = null;
        }
        if (directory.equals(ephemeralDirectory)) {
            deleteTree(directory); // test data: nothing to keep once the JVM is done
        }
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
