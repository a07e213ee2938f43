package com.anythingagents.billing.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * The settings of a running local-mode service, kept in {@code .local/session.properties}
 * (mode 0600: it holds the emulator's keys) while it serves, so operator commands started beside
 * it ({@code make stripe-replay}) use its database, Redis and emulator instead of starting their own
 * on the same ports. A file left by a killed service is ignored: its process is gone (its embedded
 * PostgreSQL may still answer, detached from it, until the next start stops it: {@link Leftovers}).
 */
final class LocalSession {

    static final List<String> SHARED = List.of(
            "DATABASE_URL",
            "REDIS_URL",
            "ENABLE_BILLING",
            "ENABLE_BILLING_STREAM",
            "STRIPE_API_BASE",
            "STRIPE_SECRET_KEY",
            "STRIPE_WEBHOOK_SECRET",
            "STRIPE_PRODUCT_PRICE_MAP");

    /** The serving JVM: a session whose process has ended is stale, whatever still listens on its ports. */
    private static final String PID = "pid";

    private LocalSession() {}

    static void write(Path directory, Function<String, String> vars) {
        Properties session = new Properties();
        SHARED.forEach(
                name -> Optional.ofNullable(vars.apply(name)).ifPresent(value -> session.setProperty(name, value)));
        session.setProperty(PID, Long.toString(ProcessHandle.current().pid()));
        Path file = file(directory);
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newBufferedWriter(file)) {
                session.store(out, "settings of the running local-mode service; removed when it stops");
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + file, ex);
        }
    }

    static void delete(Path directory) {
        try {
            Files.deleteIfExists(file(directory));
        } catch (IOException ex) {
            // a stale file is ignored by readers (its process is gone)
        }
    }

    /** The running service's settings, if one is serving from this directory. */
    static Optional<Map<String, String>> readIfRunning(Path directory) {
        Path file = file(directory);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties session = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            session.load(in);
        } catch (IOException ex) {
            return Optional.empty();
        }
        if (!alive(session.getProperty(PID))) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        SHARED.stream()
                .filter(name -> session.getProperty(name) != null)
                .forEach(name -> values.put(name, session.getProperty(name)));
        return Optional.ofNullable(values.get("DATABASE_URL"))
                .filter(LocalSession::answers)
                .map(url -> values);
    }

    private static boolean alive(String pid) {
        try {
            return pid != null
                    && ProcessHandle.of(Long.parseLong(pid.strip()))
                            .map(ProcessHandle::isAlive)
                            .orElse(false);
        } catch (NumberFormatException ex) {
            return false;
        }
    }

    private static boolean answers(String databaseUrl) {
        URI uri = URI.create(databaseUrl);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private static Path file(Path directory) {
        return directory.resolve("session.properties");
    }
}
