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
            // planned once: planning reserves ports and, with billing unset, starts the emulator
            Map<String, String> plan = LocalMode.plan(vars);
            Function<String, String> planned = name -> vars.apply(name) != null ? vars.apply(name) : plan.get(name);
            return check(out, planned, false);
        }
        return check(out, vars, true);
    }

    private int check(PrintWriter out, Function<String, String> vars, boolean connect) {
        ServiceSettings settings;
        try {
            settings = ServiceSettings.from(vars);
        } catch (InvalidConfigurationException ex) {
            ex.problems().forEach(problem -> out.println("FAIL  configuration: " + problem));
            return 1;
        }
        out.println("ok    configuration: " + settings.summary());
        if (!connect) {
            return 0;
        }
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
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(redis.getHost(), port), TIMEOUT_MILLIS);
                out.println("ok    redis " + redis.getHost() + ":" + port + " reachable");
            } catch (Exception ex) {
                out.println("FAIL  redis " + redis.getHost() + ":" + port + ": " + ex.getMessage());
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
