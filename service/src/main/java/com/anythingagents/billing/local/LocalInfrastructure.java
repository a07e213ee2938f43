package com.anythingagents.billing.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The embedded processes of local mode; {@link #close()} stops them all and is idempotent.
 * Durable (local mode: fsync, synchronous commit and full-page writes on, so a developer's
 * acknowledged events survive a crash like in production) or fast (ephemeral test runs).
 */
final class LocalInfrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

    private static Path ephemeralDirectory;

    // Ephemeral runs (tests) pick free ports once per JVM so every context sees the same ones.
    private static final Map<String, Integer> reservedPorts = new ConcurrentHashMap<>();

    private final Path directory;

    private final boolean durable;

    // held while this JVM runs the directory's databases: one owner at a time, and what a dead owner
    // left running may be stopped by the next one
    private FileChannel lockFile;

    private FileLock lock;

    private EmbeddedPostgres postgres;

    private RedisServer redis;

    LocalInfrastructure(Path directory, boolean durable) {
        this.directory = directory;
        this.durable = durable;
    }

    synchronized void startPostgres(int port) {
        if (postgres != null) {
            return;
        }
        try {
            Path data = directory.resolve("postgres");
            Files.createDirectories(data);
            claimDirectory();
            Leftovers.stop(data.resolve("postmaster.pid"), "postgres");
            long started = System.nanoTime();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    // crash recovery after a kill replays the WAL first: more than zonky's 10 s on a busy box
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200");
            if (durable) {
                // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit=off; a later -c wins
                builder.setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on");
            }
            postgres = builder.start();
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
            Files.createDirectories(directory);
            claimDirectory();
            Path pidFile = directory.resolve("redis.pid");
            Leftovers.stop(pidFile, "redis-server");
            redis = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("pidfile \"" + pidFile + "\"")
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
        releaseDirectory();
        if (directory.equals(ephemeralDirectory)) {
            deleteTree(directory); // test data: nothing to keep once the JVM is done
        }
    }

    /**
     * Takes the directory's lock, or fails naming the process that holds it. Holding it means that
     * no other live process runs these databases, so whatever their pid files name was left by one
     * that died ({@link Leftovers}).
     */
    private void claimDirectory() throws IOException {
        if (lock != null) {
            return;
        }
        Path file = directory.resolve("local-mode.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired = channel.tryLock();
        if (acquired == null) {
            channel.close();
            String owner = Files.readString(file, StandardCharsets.US_ASCII).strip();
            throw new IllegalStateException("Another billing process (pid " + (owner.isEmpty() ? "unknown" : owner)
                    + ") runs local mode's databases from " + directory
                    + ": stop it first, or give this one its own BILLING_LOCAL_DIR and LOCAL_* ports");
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(
                Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
        lockFile = channel;
        lock = acquired;
    }

    private void releaseDirectory() {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
            lockFile.close();
        } catch (IOException ex) {
            log.warn("Could not release the lock of {}: {}", directory, ex.getMessage());
        }
        lock = null;
        lockFile = null;
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
