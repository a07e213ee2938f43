package com.anythingagents.billing.setup;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Stripe CLI, when it is installed: its version, whether it is logged in, {@code stripe login},
 * and the webhook signing secret of {@code stripe listen}. Everything works without it. The key is
 * handed over in the environment ({@code STRIPE_API_KEY}), never on a command line others can read.
 */
final class StripeCli {

    private static final long TIMEOUT_SECONDS = 60;

    private final String executable;

    StripeCli(String executable) {
        this.executable = executable;
    }

    /** {@code stripe --version}'s answer, e.g. {@code stripe version 1.21.8}; empty when not installed. */
    Optional<String> version() {
        return run(List.of("--version"), Map.of()).filter(r -> r.exit() == 0).map(r -> firstLine(r.output()));
    }

    /** Whether {@code stripe config --list} shows a logged-in account (its keys are read, never shown). */
    boolean loggedIn() {
        return run(List.of("config", "--list"), Map.of())
                .filter(r -> r.exit() == 0)
                .map(r -> r.output().contains("test_mode_api_key") || r.output().contains("account_id"))
                .orElse(false);
    }

    /** {@code stripe login} on the terminal (it prints a pairing code and opens the browser). */
    boolean login() {
        try {
            Process process =
                    new ProcessBuilder(executable, "login").inheritIO().start();
            return process.waitFor() == 0;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The signing secret {@code stripe listen} will sign with when forwarding to {@code forwardTo}
     * ({@code --print-secret} prints it and exits), for the account of {@code secretKey}.
     */
    Optional<String> listenSecret(String forwardTo, String secretKey) {
        return run(List.of("listen", "--print-secret", "--forward-to", forwardTo), Map.of("STRIPE_API_KEY", secretKey))
                .filter(r -> r.exit() == 0)
                .flatMap(r -> r.output()
                        .lines()
                        .map(String::strip)
                        .filter(line -> line.startsWith("whsec_"))
                        .findFirst());
    }

    private record Result(int exit, String output) {}

    private Optional<Result> run(List<String> args, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(args);
        Path output = null;
        try {
            // to a file, not a pipe: a CLI that hangs is given up on after the timeout, not waited for
            output = Files.createTempFile("stripe-cli", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8)));
        } catch (IOException ex) {
            return Optional.empty(); // not installed (or not executable): the assistant goes on without it
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("").strip();
    }
}
