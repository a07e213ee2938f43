package com.anythingagents.billing.cli;

import com.anythingagents.billing.config.InvalidConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A failed command ends with one readable message and exit code 1, not a stack trace:
 * Spring has already printed its failure analysis for startup errors.
 */
final class StartupFailureHandler implements IExecutionExceptionHandler {

    static final int CONFIGURATION_ERROR = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parseResult) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfigurationException) {
                return CONFIGURATION_ERROR; // Spring's failure analysis has printed the list of problems
            }
        }
        cli.getErr().println(cli.getCommandName() + " failed: " + ex.getMessage());
        return 1;
    }
}
