package com.anythingagents.billing.config;

import java.net.ConnectException;
import java.sql.SQLException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/** An unreachable database at startup: one sentence naming where we tried, never the password. */
class DatabaseUnavailableFailureAnalyzer implements FailureAnalyzer {

    private final Environment environment;

    DatabaseUnavailableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || isConnectionFailure(cause)) {
                return new FailureAnalysis(
                        "Cannot connect to PostgreSQL at " + target() + ": " + cause.getMessage(),
                        "Check that PostgreSQL is running and DATABASE_URL points at it, or unset DATABASE_URL to "
                                + "use the embedded database of local mode.",
                        failure);
            }
        }
        return null;
    }

    private static boolean isConnectionFailure(Throwable cause) {
        // SQLState class 08: connection exception (refused, unknown host, authentication ends elsewhere)
        return cause instanceof SQLException sql
                && sql.getSQLState() != null
                && sql.getSQLState().startsWith("08");
    }

    private String target() {
        String url = environment.getProperty("DATABASE_URL");
        try {
            return url == null ? "(DATABASE_URL unset)" : DatabaseUrl.parse(url).describe();
        } catch (IllegalArgumentException ex) {
            return "(DATABASE_URL malformed)";
        }
    }
}
