package com.anythingagents.billing.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The executable jar's entry point: {@code serve} (default) and the operator commands. */
@Command(
        name = "billing-service",
        mixinStandardHelpOptions = true,
        description = "The anything-agents Stripe billing service.",
        subcommands = {
            ServeCommand.class,
            MigrateCommand.class,
            TokenCommand.class,
            DoctorCommand.class,
            SetupCommand.class,
            DevInfraCommand.class,
            ReplayCommand.class,
            ReplayUsageCommand.class,
            SyncEventsCommand.class,
            LintFixturesCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BillingCommand implements Callable<Integer> {

    /**
     * Runs the command line and returns the process exit code.
     * @param application the Spring Boot application class the commands start (passed in, so the
     *     CLI does not depend on the package that holds {@code main})
     */
    public static int execute(Class<?> application, String... args) {
        CliContext.application = application;
        return commandLine().execute(args.length == 0 ? new String[] {"serve"} : args);
    }

    static CommandLine commandLine() {
        return new CommandLine(new BillingCommand()).setExecutionExceptionHandler(new StartupFailureHandler());
    }

    @Override
    public Integer call() {
        return 0; // unreachable: execute() runs `serve` when no command is given
    }
}
