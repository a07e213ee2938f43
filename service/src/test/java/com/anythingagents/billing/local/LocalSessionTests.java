package com.anythingagents.billing.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSessionTests {

    @TempDir
    Path directory;

    @Test
    void commandsAttachToARunningServiceAndNeverStartTheirOwnInfrastructure() throws Exception {
        try (ServerSocket database = new ServerSocket(0)) {
            Map<String, String> serving = Map.of(
                    "DATABASE_URL", "postgresql://postgres@127.0.0.1:" + database.getLocalPort() + "/postgres",
                    "STRIPE_WEBHOOK_SECRET", "whsec_running",
                    "UNRELATED", "not shared");
            LocalSession.write(directory, serving::get);

            Map<String, String> plan = LocalMode.plan(Map.of("BILLING_LOCAL_DIR", directory.toString())::get);

            assertThat(plan)
                    .containsEntry("DATABASE_URL", serving.get("DATABASE_URL"))
                    .containsEntry("STRIPE_WEBHOOK_SECRET", "whsec_running")
                    .containsEntry(LocalMode.ATTACHED, "true")
                    .doesNotContainKey("UNRELATED");
            assertThat(Files.getPosixFilePermissions(directory.resolve("session.properties")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void aSessionWhoseDatabaseNoLongerAnswersIsIgnored() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LocalSession.write(
                directory, Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + closedPort + "/postgres")::get);

        assertThat(LocalSession.readIfRunning(directory)).isEmpty();
    }

    @Test
    void aSessionLeftByAKilledServiceIsIgnoredEvenWhileItsDatabaseStillAnswers() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        try (ServerSocket orphanedDatabase = new ServerSocket(0)) {
            Files.writeString(
                    directory.resolve("session.properties"),
                    "pid=" + ended.pid() + "\nDATABASE_URL=postgresql://postgres@127.0.0.1:"
                            + orphanedDatabase.getLocalPort() + "/postgres\n");

            assertThat(LocalSession.readIfRunning(directory)).isEmpty();
        }
    }
}
