package com.anythingagents.billing.cli;

import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Applies pending Flyway migrations (Spring runs them at startup) and prints the schema version. */
@Command(name = "migrate", description = "Apply database migrations and exit.")
final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // the schema version is the answer: Spring's startup chatter stays off the output (warnings stay)
        System.setProperty("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = StartupFailureHandler.run(() -> CliContext.service()
                .web(WebApplicationType.NONE)
                .properties("billing.workers.enabled=false")
                .run())) {
            Flyway flyway = context.getBean(Flyway.class);
            MigrationInfo current = flyway.info().current();
            spec.commandLine()
                    .getOut()
                    .println("Database schema at version " + (current == null ? "none" : current.getVersion()) + " ("
                            + flyway.info().applied().length + " migrations applied, "
                            + flyway.info().pending().length
                            + " pending)");
        }
        return 0;
    }
}
