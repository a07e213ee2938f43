package com.anythingagents.billing.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Local mode's embedded PostgreSQL (durable) and Redis, run on their own for development
 * ({@code make dev-up} without Docker), from a directory of their own so they never share data,
 * lock or ports with a {@code make run} service.
 */
public final class DevDatabases implements AutoCloseable {

    private final LocalInfrastructure infrastructure;

    private DevDatabases(LocalInfrastructure infrastructure) {
        this.infrastructure = infrastructure;
    }

    /** Starts both, or fails naming what is in the way (another owner of the directory, a taken port). */
    public static DevDatabases start(Path directory, int postgresPort, int redisPort) {
        LocalInfrastructure infrastructure = new LocalInfrastructure(directory, true);
        try {
            infrastructure.startPostgres(postgresPort);
            infrastructure.startRedis(redisPort);
        } catch (RuntimeException ex) {
            infrastructure.close();
            throw ex;
        }
        return new DevDatabases(infrastructure);
    }

    /**
     * Stops a PostgreSQL or Redis from {@code directory} that outlived its owner (killed with
     * {@code -9}): they are detached from it. Does nothing while a live process owns the directory.
     * @return whether no live owner held the directory (so anything left there was stopped)
     */
    public static boolean stopLeftovers(Path directory) {
        Path lockFile = directory.resolve("local-mode.lock");
        if (!Files.isRegularFile(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            try {
                Leftovers.stop(directory.resolve("postgres").resolve("postmaster.pid"), "postgres");
                Leftovers.stop(directory.resolve("redis.pid"), "redis-server");
            } finally {
                lock.release();
            }
            return true;
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot check " + lockFile, ex);
        }
    }

    @Override
    public void close() {
        infrastructure.close();
    }
}
