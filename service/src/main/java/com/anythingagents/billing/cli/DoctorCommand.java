package com.anythingagents.billing.cli;

import com.anythingagents.billing.config.DatabaseUrl;
import com.anythingagents.billing.config.InvalidConfigurationException;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.local.LocalMode;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Checks the configuration and what it points at, printing one line per check; never prints a secret. */
@Command(name = "doctor", description = "Check configuration, database and Redis; exit 1 if anything is wrong.")
final class DoctorCommand implements Callable<Integer> {

    private static final int TIMEOUT_MILLIS = 3000;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Function<String, String> vars = CommandSettings.variables();
        if (LocalMode.applies(vars, false)) {
            out.println("ok    local mode: no DATABASE_URL, so `serve` starts embedded PostgreSQL and Redis (data in "
                    + LocalMode.directory(vars) + ")");
            // Check what the developer set, over what local mode provides, without starting anything:
            // with ENABLE_BILLING unset, billing runs against the in-process emulator.
            boolean emulator = vars.apply("ENABLE_BILLING") == null;
            Function<String, String> given =
                    name -> emulator && name.equals("ENABLE_BILLING") ? "false" : vars.apply(name);
            Map<String, String> plan = LocalMode.plan(given);
            if (emulator) {
                out.println("ok    billing: on, against the in-process Stripe emulator (plans starter and pro)");
            }
            int failures = validate(out, name -> given.apply(name) != null ? given.apply(name) : plan.get(name))
                            .isPresent()
                    ? 0
                    : 1;
            for (LocalMode.Service service : LocalMode.services(vars)) {
                boolean running = listening("127.0.0.1", service.port());
                out.println((running ? "ok    " : "info  ") + service.name() + " on 127.0.0.1:" + service.port()
                        + (running ? " is running" : " is not running (make run starts it)"));
            }
            return failures;
        }
        return check(out, vars);
    }

    private static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            return true;
        } catch (Exception ex) {
            return false;
        }
    }

    /** Prints the configuration line (or one FAIL line per problem) and returns the settings if valid. */
    private static Optional<ServiceSettings> validate(PrintWriter out, Function<String, String> vars) {
        try {
            ServiceSettings settings = ServiceSettings.from(vars);
            out.println("ok    configuration: " + settings.summary());
            return Optional.of(settings);
        } catch (InvalidConfigurationException ex) {
            ex.problems().forEach(problem -> out.println("FAIL  configuration: " + problem));
            return Optional.empty();
        }
    }

    private int check(PrintWriter out, Function<String, String> vars) {
        Optional<ServiceSettings> valid = validate(out, vars);
        if (valid.isEmpty()) {
            return 1;
        }
        ServiceSettings settings = valid.get();
        int failures = 0;
        DatabaseUrl database = DatabaseUrl.parse(vars.apply("DATABASE_URL"));
        try (Connection connection =
                DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            out.println("ok    database " + database.describe() + ": "
                    + connection.getMetaData().getDatabaseProductVersion());
        } catch (Exception ex) {
            out.println("FAIL  database " + database.describe() + ": " + ex.getMessage());
            failures++;
        }
        if (settings.eventsRedisUrl().isPresent()) {
            URI redis = settings.eventsRedisUrl().get();
            int port = redis.getPort() > 0 ? redis.getPort() : 6379;
            if (listening(redis.getHost(), port)) {
                out.println("ok    redis " + redis.getHost() + ":" + port + " reachable");
            } else {
                out.println("FAIL  redis " + redis.getHost() + ":" + port + " not reachable");
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
