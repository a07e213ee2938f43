package com.anythingagents.billing.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code local-mode.lock} in the local directory, held by the one process that runs its databases.
 * The operating system releases it when that process dies, however it dies: whoever holds it knows
 * that no live process owns what the directory's pid files name ({@link Leftovers}).
 */
final class DirectoryLock implements AutoCloseable {

    private final FileChannel channel;

    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails naming the process that holds it. */
    static DirectoryLock acquire(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("local-mode.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            String owner = Files.readString(file, StandardCharsets.US_ASCII).strip();
            throw new IllegalStateException("Another billing process (pid " + (owner.isEmpty() ? "unknown" : owner)
                    + ") runs local mode's databases from " + directory
                    + ": stop it first, or give this one its own BILLING_LOCAL_DIR and LOCAL_* ports");
        }
        channel.truncate(0);
        channel.write(
                ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
        return new DirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
