package com.anythingagents.billing.local;

import com.anythingagents.stripe.emulator.StripeEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode: whatever the developer did not configure is provided on this machine, with no
 * network: embedded PostgreSQL and Redis, and a development JWT secret. Data lives under
 * {@code BILLING_LOCAL_DIR} (default {@code .local/}) so a restart keeps it; with
 * {@code BILLING_LOCAL_EPHEMERAL=true} (tests) it lives in a temporary directory instead.
 */
public final class LocalMode {

    private static final Logger log = LoggerFactory.getLogger(LocalMode.class);

    static final int DEFAULT_POSTGRES_PORT = 54329;

    static final int DEFAULT_REDIS_PORT = 63799;

    static final int DEFAULT_STRIPE_PORT = 12111;

    /** Set in a plan that uses a running local service's infrastructure instead of starting its own. */
    static final String ATTACHED = "BILLING_LOCAL_ATTACHED";

    // One set of processes per JVM: several Spring contexts (tests) share them.
    private static LocalInfrastructure infrastructure;

    private static LocalStripe stripe;

    private static CompletableFuture<Void> starting = CompletableFuture.completedFuture(null);

    private LocalMode() {}

    /** Whether the service provides its own infrastructure: no DATABASE_URL and not a production profile. */
    public static boolean applies(Function<String, String> vars, boolean productionProfile) {
        String explicit = vars.apply("BILLING_LOCAL_MODE");
        if (explicit != null && !explicit.isBlank()) {
            // the spellings the settings accept as true (Settings.flag): they must agree, or the
            // settings would ask for local mode that was never planned
            return List.of("true", "1", "yes", "on").contains(explicit.strip().toLowerCase(Locale.ROOT));
        }
        String database = vars.apply("DATABASE_URL");
        return !productionProfile && (database == null || database.isBlank());
    }

    /**
     * Variables local mode would provide, without starting anything yet, so configuration can be
     * checked (and fail fast) before any process starts.
     */
    public static Map<String, String> plan(Function<String, String> vars) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("BILLING_LOCAL_MODE", "true");
        values.put("ENABLE_BILLING_STREAM", "true");
        Path directory = directory(vars);
        Optional<Map<String, String>> running = LocalSession.readIfRunning(directory);
        if (running.isPresent()) {
            // a local service is serving: use its database, Redis and emulator, start nothing
            values.putAll(running.get());
            values.put(ATTACHED, "true");
            values.putIfAbsent("AUTH_JWT_SECRET", developmentSecret(directory));
            return values;
        }
        // Billing runs against the in-process emulator unless the developer decided otherwise: with
        // ENABLE_BILLING=true they must supply real Stripe settings, with false billing is off.
        if (isBlank(vars.apply("ENABLE_BILLING"))) {
            values.putAll(stripe(vars, directory).settings(webhookUrl(vars)));
        }
        if (isBlank(vars.apply("DATABASE_URL"))) {
            values.put(
                    "DATABASE_URL",
                    "postgresql://postgres@127.0.0.1:" + port(vars, "LOCAL_POSTGRES_PORT", DEFAULT_POSTGRES_PORT)
                            + "/postgres");
        }
        if (isBlank(vars.apply("REDIS_URL"))) {
            values.put("REDIS_URL", "redis://127.0.0.1:" + port(vars, "LOCAL_REDIS_PORT", DEFAULT_REDIS_PORT));
        }
        if (isBlank(vars.apply("AUTH_JWT_SECRET")) && isBlank(vars.apply("AUTH_JWKS_URI"))) {
            values.put("AUTH_JWT_SECRET", developmentSecret(directory));
        }
        return values;
    }

    /**
     * Starts what {@link #plan} promised and was not configured otherwise ({@code planned} answers
     * only for those), once per JVM; a shutdown hook stops it. PostgreSQL starts in the background
     * while Spring builds the context: {@link #awaitStarted()} waits for it before anything connects.
     */
    public static synchronized void start(Function<String, String> vars, Function<String, String> planned) {
        if ("true".equals(planned.apply(ATTACHED))) {
            return;
        }
        if (infrastructure == null) {
            infrastructure = new LocalInfrastructure(
                    directory(vars), !Boolean.parseBoolean(vars.apply("BILLING_LOCAL_EPHEMERAL")));
            Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close, "local-mode-shutdown"));
        }
        LocalInfrastructure local = infrastructure;
        String redis = planned.apply("REDIS_URL");
        if (redis != null) {
            // Redis first, and not beside anything that forks: its library writes the redis-server
            // binary and runs it at once; a fork in that window (pg_ctl) inherits the file still open
            // for writing and the exec fails with ETXTBSY. It is up in a fraction of a second.
            local.startRedis(portOf(redis));
        }
        String database = planned.apply("DATABASE_URL");
        if (database != null) {
            starting = CompletableFuture.allOf(
                    starting, inBackground("local-postgres", () -> local.startPostgres(portOf(database))));
        }
    }

    /**
     * Waits until what {@link #start} began is up and returns what happened (for the log, which is
     * set up by now); a failure to start is thrown here, as it was thrown there.
     */
    static List<String> awaitStarted() {
        CompletableFuture<Void> pending;
        synchronized (LocalMode.class) {
            pending = starting;
        }
        try {
            pending.join();
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw ex;
        }
        synchronized (LocalMode.class) {
            return infrastructure == null ? List.of() : infrastructure.drainReport();
        }
    }

    private static CompletableFuture<Void> inBackground(String name, Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        work.run();
                        done.complete(null);
                    } catch (RuntimeException | Error ex) { // NOPMD: handed to whoever waits for it
                        done.completeExceptionally(ex);
                    }
                },
                name);
        // daemon: a JVM that exits meanwhile does not wait for it; its shutdown hook waits for the start
        // to finish and then stops what was started
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /** The settings of the local-mode service serving from this directory right now, if one is. */
    public static Optional<Map<String, String>> running(Function<String, String> vars) {
        return LocalSession.readIfRunning(directory(vars));
    }

    /** A process local mode runs, and the port it listens on. */
    public record Service(String name, int port) {}

    /** What {@code serve} starts in local mode for these variables (ports only; nothing is started). */
    public static List<Service> services(Function<String, String> vars) {
        return List.of(
                new Service("postgresql", port(vars, "LOCAL_POSTGRES_PORT", DEFAULT_POSTGRES_PORT)),
                new Service("redis", port(vars, "LOCAL_REDIS_PORT", DEFAULT_REDIS_PORT)),
                new Service("stripe-emulator", port(vars, "LOCAL_STRIPE_PORT", DEFAULT_STRIPE_PORT)));
    }

    /** The emulator local mode started, if any: tests drive it (clock, failures, deliveries). */
    public static synchronized Optional<StripeEmulator> emulator() {
        return Optional.ofNullable(stripe).map(LocalStripe::emulator);
    }

    /**
     * Called once the service listens: the emulator's webhooks go to the port really in use, but only
     * from a context that bills against this emulator (another context in the same JVM, e.g. one with
     * billing off, must not take the webhooks away from it).
     */
    static synchronized void serviceListening(int port, Function<String, String> vars) {
        if (stripe != null && stripe.emulator().baseUrl().equals(vars.apply("STRIPE_API_BASE"))) {
            stripe.moveWebhookEndpoint("http://127.0.0.1:" + port + "/webhooks/stripe");
        }
        if (!Boolean.parseBoolean(vars.apply("BILLING_LOCAL_EPHEMERAL"))) {
            Path directory = directory(vars);
            LocalSession.write(directory, vars);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LocalSession.delete(directory), "local-session-end"));
        }
    }

    private static synchronized LocalStripe stripe(Function<String, String> vars, Path directory) {
        if (stripe == null) {
            boolean ephemeral = Boolean.parseBoolean(vars.apply("BILLING_LOCAL_EPHEMERAL"));
            String port = vars.apply("LOCAL_STRIPE_PORT");
            stripe = LocalStripe.start(
                    !isBlank(port) ? Integer.parseInt(port.strip()) : ephemeral ? 0 : DEFAULT_STRIPE_PORT,
                    ephemeral ? null : directory.resolve("stripe-emulator.json"));
            Runtime.getRuntime().addShutdownHook(new Thread(stripe::close, "local-stripe-shutdown"));
        }
        return stripe;
    }

    private static String webhookUrl(Function<String, String> vars) {
        String port = vars.apply("PORT");
        return "http://127.0.0.1:" + (isBlank(port) ? "8000" : port.strip()) + "/webhooks/stripe";
    }

    /** The development JWT secret, created once and kept (mode 0600) so minted tokens survive restarts. */
    public static String developmentSecret(Path directory) {
        Path file = directory.resolve("jwt-secret");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(directory);
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            // created 0600 from the start: the secret is never readable by others, not even briefly
            Files.writeString(
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    secret);
            log.info("Created a development JWT secret in {}", file);
            return secret;
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot keep the development JWT secret in " + file, ex);
        }
    }

    /** The local data directory: {@code BILLING_LOCAL_DIR}, or a fresh temporary one when ephemeral. */
    public static Path directory(Function<String, String> vars) {
        if (Boolean.parseBoolean(vars.apply("BILLING_LOCAL_EPHEMERAL"))) {
            return LocalInfrastructure.ephemeralDirectory();
        }
        String configured = vars.apply("BILLING_LOCAL_DIR");
        return Path.of(isBlank(configured) ? ".local" : configured.strip()).toAbsolutePath();
    }

    private static int port(Function<String, String> vars, String name, int defaultPort) {
        String configured = vars.apply(name);
        if (!isBlank(configured)) {
            return Integer.parseInt(configured.strip());
        }
        return Boolean.parseBoolean(vars.apply("BILLING_LOCAL_EPHEMERAL"))
                ? LocalInfrastructure.reservedPort(name, LocalMode::freePort)
                : defaultPort;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static int portOf(String url) {
        String afterHost = url.substring(url.lastIndexOf(':') + 1);
        int end = afterHost.indexOf('/');
        return Integer.parseInt(end < 0 ? afterHost : afterHost.substring(0, end));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
