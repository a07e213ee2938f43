package com.anythingagents.billing.local;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A process that holds a file lock until it is killed (another local-mode process, for the tests). */
final class HoldLock {

    private HoldLock() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
            channel.lock();
            System.out.print("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
