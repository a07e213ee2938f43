package com.anythingagents.billing.devinfra;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Docker client: does an engine answer, and {@code docker compose up}/{@code down} with the project's file. */
final class Docker {

    private static final long PROBE_SECONDS = 10;

    private static final long COMPOSE_SECONDS = 300;

    private final String executable;

    private final Path projectDirectory;

    Docker(String executable, Path projectDirectory) {
        this.executable = executable;
        this.projectDirectory = projectDirectory;
    }

    /** {@code docker info} succeeds (a client alone, with no engine, fails) and compose is there. */
    boolean engineAnswers() {
        return quietly("info") && quietly("compose", "version");
    }

    boolean composeUp() {
        return compose("up", "-d", "--wait");
    }

    boolean composeDown() {
        return compose("down");
    }

    private boolean compose(String... args) {
        List<String> command = new ArrayList<>(List.of(
                executable,
                "compose",
                "--env-file",
                DevInfraSettings.COMPOSE_ENV,
                "-f",
                DevInfraSettings.COMPOSE_FILE));
        command.addAll(List.of(args));
        return run(new ProcessBuilder(command).inheritIO(), COMPOSE_SECONDS);
    }

    private boolean quietly(String... args) {
        List<String> command = new ArrayList<>(List.of(executable));
        command.addAll(List.of(args));
        return run(
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))),
                PROBE_SECONDS);
    }

    private boolean run(ProcessBuilder builder, long timeoutSeconds) {
        try {
            Process process = builder.directory(projectDirectory.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException ex) {
            return false; // no docker client at all
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
