package com.anythingagents.billing.devinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make dev-up} / {@code make dev-down} as they run here: Docker's client may be installed,
 * but no engine answers, so the embedded databases run in a background process; a fake client
 * plays an engine for the compose path.
 */
class DevInfraTests {

    private static final Duration COMMAND = Duration.ofMinutes(4);

    @TempDir
    Path directory;

    private Map<String, String> environment;

    private int postgresPort;

    private int redisPort;

    @BeforeEach
    void ports() {
        postgresPort = freePort();
        redisPort = freePort();
        environment = Map.of(
                "BILLING_LOCAL_DIR", directory.resolve(".local").toString(),
                "DEV_POSTGRES_PORT", Integer.toString(postgresPort),
                "DEV_REDIS_PORT", Integer.toString(redisPort),
                "LOCAL_STRIPE_PORT", Integer.toString(freePort()));
    }

    @AfterEach
    void stopWhatever() {
        // a failed test must not leave databases running on the machine
        try (BillingProcess process = BillingProcess.start(directory, environment, "dev-infra", "down")) {
            process.awaitExit(COMMAND);
        }
    }

    @Test
    void withoutDockerStartsEmbeddedDatabasesThatMigrateUsesAndDownLeavesNoProcess() throws Exception {
        String up =
                run("dev-infra", "up", "--write-env", "--docker", docker(false).toString());

        assertThat(up)
                .contains("No Docker engine answers (`docker info`), so embedded PostgreSQL 17 and Redis start")
                .contains("DATABASE_URL=postgresql://billing@127.0.0.1:" + postgresPort + "/billing")
                .contains("REDIS_URL=redis://127.0.0.1:" + redisPort);
        assertThat(Files.readString(directory.resolve(".env.local")))
                .contains("DATABASE_URL=postgresql://billing@127.0.0.1:" + postgresPort + "/billing")
                .contains("BILLING_LOCAL_MODE=true");
        assertThat(run("migrate")).contains("Database schema at version");
        List<Long> processes = processes();

        String down = run("dev-infra", "down");

        assertThat(down).contains("Stopped; nothing left running.");
        assertNothingLeft(processes);
    }

    @Test
    void downStopsWhatAKilledBackgroundProcessLeftRunning() throws Exception {
        run("dev-infra", "up", "--docker", docker(false).toString());
        List<Long> processes = processes();
        ProcessHandle owner = ProcessHandle.of(processes.get(0)).orElseThrow();
        owner.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !owner.isAlive());
        assertThat(listening(postgresPort))
                .as("PostgreSQL is detached from the killed process")
                .isTrue();

        String down = run("dev-infra", "down");

        assertThat(down).contains("Stopped the PostgreSQL and Redis that a killed dev-infra process left running");
        assertNothingLeft(processes);
    }

    @Test
    void usesDockerComposeWhenAnEngineAnswers() throws Exception {
        Path docker = docker(true);

        String up = run("dev-infra", "up", "--docker", docker.toString());
        String status = run("dev-infra", "status");
        String down = run("dev-infra", "down", "--docker", docker.toString());

        assertThat(up).contains("A Docker engine answers: docker compose up").contains("Running (docker compose)");
        assertThat(status).contains("Running (docker)");
        assertThat(down).contains("Stopped; nothing left running.");
        assertThat(Files.readAllLines(directory.resolve("docker-calls")))
                .containsExactly(
                        "info",
                        "compose version",
                        "compose --env-file .env.compose -f docker-compose.yml up -d --wait",
                        "compose --env-file .env.compose -f docker-compose.yml down");
    }

    private String run(String... args) {
        try (BillingProcess process = BillingProcess.start(directory, environment, args)) {
            int exit = process.awaitExit(COMMAND);
            assertThat(exit).as(process.output()).isZero();
            return process.output();
        }
    }

    /** The background JVM, the postmaster and Redis, from their pid files. */
    private List<Long> processes() throws IOException {
        Path data = directory.resolve(".local").resolve("dev-infra");
        return List.of(
                Long.parseLong(Files.readString(data.resolve("dev-infra.pid")).strip()),
                Long.parseLong(Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid"))
                        .get(0)
                        .strip()),
                Long.parseLong(Files.readString(data.resolve("redis.pid")).strip()));
    }

    private void assertNothingLeft(List<Long> processes) {
        for (long pid : processes) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process %d", pid)
                    .isFalse();
        }
        assertThat(listening(postgresPort)).isFalse();
        assertThat(listening(redisPort)).isFalse();
    }

    /** A docker client: with an engine, it records each call and succeeds; without, `info` fails like the real one. */
    private Path docker(boolean engine) throws IOException {
        Path script = directory.resolve("docker");
        Files.writeString(
                script,
                engine
                        ? "#!/bin/sh\necho \"$*\" >> \"" + directory.resolve("docker-calls") + "\"\nexit 0\n"
                        : "#!/bin/sh\n"
                                + "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' >&2\nexit 1\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
