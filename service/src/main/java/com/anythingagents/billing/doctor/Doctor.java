package com.anythingagents.billing.doctor;

import com.anythingagents.billing.config.DatabaseUrl;
import com.anythingagents.billing.config.InvalidConfigurationException;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.config.StripeSettings;
import com.anythingagents.billing.local.LocalMode;
import com.anythingagents.billing.stripe.StripeFailure;
import com.anythingagents.billing.stripe.StripeGateway;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;

/**
 * Checks everything the service depends on, as it would see it if started now, without starting
 * it: configuration, database and schema, Redis, Stripe (key, prices, meters, webhook endpoints)
 * and the backlog. Local mode counts: what {@code make run} would provide is reported as such, and
 * a local-mode service serving from the same directory is checked as it runs.
 */
public final class Doctor {

    private final Clock clock;

    Doctor(Clock clock) {
        this.clock = clock;
    }

    /** Every finding for these variables (the environment over the env files), in the order to print them. */
    public static List<Finding> examine(Function<String, String> vars) {
        return new Doctor(Clock.systemUTC()).findings(vars);
    }

    List<Finding> findings(Function<String, String> vars) {
        List<Finding> findings = new ArrayList<>();
        Effective effective = effective(vars, findings);
        Optional<ServiceSettings> settings = validate(effective.vars(), findings);
        if (settings.isEmpty()) {
            return findings;
        }
        boolean databaseUp = false;
        String databaseUrl = effective.vars().apply("DATABASE_URL");
        if (effective.embeddedDatabase()) {
            findings.add(
                    Finding.info("database", "local mode's embedded PostgreSQL is not running (`make run` starts it)"));
        } else {
            Finding database = Infrastructure.database(databaseUrl);
            findings.add(database);
            databaseUp = !database.isError();
            if (databaseUp) {
                findings.add(schema(DatabaseUrl.parse(databaseUrl)));
            }
        }
        findings.add(redis(settings.get(), effective));
        if (settings.get().stripe().isPresent()) {
            findings.addAll(stripe(settings.get()));
        } else if (effective.emulatorBilling()) {
            findings.add(Finding.info(
                    "stripe", "local mode bills against the in-process Stripe emulator `make run` starts"));
        } else {
            findings.add(Finding.info(
                    "stripe", "billing is off (ENABLE_BILLING=false): `make stripe-setup` connects a Stripe account"));
        }
        if (databaseUp) {
            findings.addAll(Backlog.examine(DatabaseUrl.parse(databaseUrl), clock.instant()));
        }
        return findings;
    }

    /**
     * The variables the service would run with: in local mode, those of the local service serving
     * now, else what {@code make run} would provide (without starting anything).
     */
    private record Effective(
            Function<String, String> vars, boolean embeddedDatabase, boolean embeddedRedis, boolean emulatorBilling) {}

    private static Effective effective(Function<String, String> vars, List<Finding> findings) {
        if (!LocalMode.applies(vars, false)) {
            return new Effective(vars, false, false, false);
        }
        Map<String, String> provided = new HashMap<>();
        provided.put("BILLING_LOCAL_MODE", "true");
        provided.put("ENABLE_BILLING_STREAM", "true");
        if (blank(vars.apply("AUTH_JWT_SECRET")) && blank(vars.apply("AUTH_JWKS_URI"))) {
            provided.put("AUTH_JWT_SECRET", LocalMode.developmentSecret(LocalMode.directory(vars)));
        }
        Optional<Map<String, String>> running = LocalMode.running(vars);
        if (running.isPresent()) {
            findings.add(Finding.ok(
                    "local mode", "a local-mode service serves from " + LocalMode.directory(vars) + "; checking it"));
            provided.putAll(running.get());
            return new Effective(
                    name -> Optional.ofNullable(vars.apply(name)).orElse(provided.get(name)), false, false, false);
        }
        findings.add(Finding.info(
                "local mode",
                "`make run` provides what is not configured here (data in " + LocalMode.directory(vars) + ")"));
        boolean emulator = blank(vars.apply("ENABLE_BILLING"));
        if (emulator) {
            provided.put("ENABLE_BILLING", "false"); // the emulator's settings exist once it runs
        }
        boolean database = blank(vars.apply("DATABASE_URL"));
        boolean redis = blank(vars.apply("REDIS_URL"));
        for (LocalMode.Service service : LocalMode.services(vars)) {
            if (service.name().equals("postgresql") && database) {
                provided.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + service.port() + "/postgres");
            }
            if (service.name().equals("redis") && redis) {
                provided.put("REDIS_URL", "redis://127.0.0.1:" + service.port());
            }
        }
        return new Effective(
                name -> Optional.ofNullable(vars.apply(name)).orElse(provided.get(name)), database, redis, emulator);
    }

    private static Optional<ServiceSettings> validate(Function<String, String> vars, List<Finding> findings) {
        try {
            ServiceSettings settings = ServiceSettings.from(vars);
            findings.add(Finding.ok("configuration", settings.summary()));
            return Optional.of(settings);
        } catch (InvalidConfigurationException ex) {
            ex.problems()
                    .forEach(problem -> findings.add(Finding.error(
                            "configuration",
                            problem,
                            "set it in .env.local (`make stripe-setup` writes the Stripe"
                                    + " ones) or the environment; .env.example lists every variable")));
            return Optional.empty();
        }
    }

    private static Finding schema(DatabaseUrl database) {
        try {
            MigrationInfoService info = Flyway.configure()
                    .dataSource(database.jdbcUrl(), database.username(), database.password())
                    .locations("classpath:db/migration")
                    .load()
                    .info();
            int pending = info.pending().length;
            String version = info.current() == null
                    ? "none"
                    : info.current().getVersion().toString();
            if (pending > 0) {
                return Finding.warning(
                        "schema",
                        "at version " + version + ", " + pending + " migration(s) pending",
                        "`make migrate` (the service also migrates when it starts)");
            }
            return Finding.ok("schema", "at version " + version + ", nothing pending");
        } catch (RuntimeException ex) {
            return Finding.error(
                    "schema", "could not read it: " + Infrastructure.firstLine(ex.getMessage()), "`make migrate`");
        }
    }

    private static Finding redis(ServiceSettings settings, Effective effective) {
        if (effective.embeddedRedis()) {
            return Finding.info("redis", "local mode's embedded Redis is not running (`make run` starts it)");
        }
        if (settings.eventsRedisUrl().isEmpty()) {
            return settings.streamEnabled()
                    ? Finding.warning(
                            "redis",
                            "none configured: the billing stream answers 503",
                            "set REDIS_URL (`make dev-up` starts one), or ENABLE_BILLING_STREAM=false")
                    : Finding.info("redis", "none configured (the billing stream is off)");
        }
        return Infrastructure.redis(settings.eventsRedisUrl().get().toString());
    }

    private static List<Finding> stripe(ServiceSettings settings) {
        StripeSettings stripe = settings.stripe().orElseThrow();
        StripeAccount account = new StripeAccount(
                StripeGateway.connect(stripe.secretKey(), stripe.apiBase()), stripe.secretKey(), stripe.apiBase());
        List<Finding> findings = new ArrayList<>();
        Finding key = account.key();
        findings.add(key);
        if (key.isError()) {
            findings.add(Finding.info("stripe", "prices, meters and webhook endpoints not checked"));
            return findings;
        }
        try {
            findings.addAll(account.prices(stripe.prices().pricesByPlan()));
            findings.addAll(account.meters(settings.usage().meters()));
            findings.addAll(account.webhookEndpoints());
        } catch (StripeFailure ex) {
            findings.add(Finding.error(
                    "stripe",
                    "stopped checking: " + Infrastructure.firstLine(ex.getMessage()),
                    "run `make doctor` again"));
        }
        return findings;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
