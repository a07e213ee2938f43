package com.anythingagents.billing.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The executable jar's entry point: {@code serve} (default), {@code migrate}, {@code token}, {@code doctor},
 * {@code replay}, {@code sync-events}. */
@Command(
        name = "billing-service",
        mixinStandardHelpOptions = true,
        description = "The anything-agents Stripe billing service.",
        subcommands = {
            ServeCommand.class,
            MigrateCommand.class,
            TokenCommand.class,
            DoctorCommand.class,
            ReplayCommand.class,
            SyncEventsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BillingCommand implements Callable<Integer> {

    /** Runs the command line and returns the process exit code. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new BillingCommand());
        cli.setExecutionExceptionHandler(new StartupFailureHandler());
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        return new ServeCommand().call();
    }
}
