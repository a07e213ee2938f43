package com.anythingagents.billing.cli;

import com.anythingagents.billing.config.InvalidConfigurationException;
import java.util.function.Supplier;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A failed command ends with one readable message and a non-zero exit code, not a stack trace.
 * Spring reports its own startup failures (failure analysis, or the stack trace when no analyzer
 * knows the cause), so those are not repeated here.
 */
final class StartupFailureHandler implements IExecutionExceptionHandler {

    static final int CONFIGURATION_ERROR = 2;

    /** Starts a Spring context; a failure is marked as already reported by Spring. */
    static ConfigurableApplicationContext run(Supplier<ConfigurableApplicationContext> start) {
        try {
            return start.get();
        } catch (RuntimeException ex) {
            throw new ReportedBySpring(ex);
        }
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parseResult) {
        boolean reported = false;
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfigurationException) {
                return CONFIGURATION_ERROR; // Spring's failure analysis has printed the list of problems
            }
            reported |= cause instanceof ReportedBySpring;
        }
        if (!reported) {
            cli.getErr().println(cli.getCommandName() + " failed: " + ex.getMessage());
        }
        return 1;
    }

    private static final class ReportedBySpring extends RuntimeException {

        ReportedBySpring(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
