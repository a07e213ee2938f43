package com.anythingagents.billing.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode's embedded PostgreSQL: durable like production, fast only where tests ask for it. */
class LocalInfrastructureTests {

    private static final List<String> DURABILITY = List.of("fsync", "synchronous_commit", "full_page_writes");

    @TempDir
    Path directory;

    @Test
    void localModeRunsPostgresWithFsyncSynchronousCommitAndFullPageWritesOn() throws Exception {
        try (LocalInfrastructure local = new LocalInfrastructure(directory, true)) {
            int port = freePort();
            local.startPostgres(port);

            assertThat(settings(port, DURABILITY))
                    .containsEntry("fsync", "on")
                    .containsEntry("synchronous_commit", "on")
                    .containsEntry("full_page_writes", "on");
        }
    }

    @Test
    void ephemeralTestRunsKeepZonkysFastSettings() throws Exception {
        try (LocalInfrastructure local = new LocalInfrastructure(directory, false)) {
            int port = freePort();
            local.startPostgres(port);

            assertThat(settings(port, DURABILITY))
                    .containsEntry("fsync", "off")
                    .containsEntry("synchronous_commit", "off");
        }
    }

    @Test
    void aDirectoryInUseByAnotherProcessIsRefusedWithItsPid() throws Exception {
        // file locks belong to processes: the holder must be another JVM
        Path lockFile = directory.resolve("local-mode.lock");
        Files.writeString(lockFile, "4242");
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldLock.class.getName(),
                        lockFile.toString())
                .redirectErrorStream(true)
                .start();
        try {
            // the child says "locked" once it holds the lock
            assertThat(new String(holder.getInputStream().readNBytes(6))).isEqualTo("locked");
            try (LocalInfrastructure local = new LocalInfrastructure(directory, false)) {
                assertThatThrownBy(() -> local.startRedis(freePort()))
                        .hasMessageContaining(
                                "Another billing process (pid 4242) runs local mode's databases from " + directory);
            }
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(canLock(lockFile)).isTrue();
    }

    private static boolean canLock(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            return lock != null;
        }
    }

    private static Map<String, String> settings(int port, List<String> names) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            for (String name : names) {
                try (ResultSet rs = statement.executeQuery("show " + name)) {
                    rs.next();
                    values.put(name, rs.getString(1));
                }
            }
        }
        return values;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
