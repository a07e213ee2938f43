package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.config.Mask;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.dao.DataAccessException;
import tools.jackson.core.JacksonException;

/**
 * The activity summary of a failed attempt. Unlike {@code last_error} (operators only) it reaches
 * every member of the tenant on the live stream, so it says only what failed, whether it will be
 * retried, and the first line of the error: no stack, no SQL (a database failure shows its class and
 * SQL state only: its message can quote statements and parameters), no JSON parser text (it can quote the event's body), and
 * anything shaped like a Stripe key or a bearer token masked.
 */
final class FailureSummary {

    static final int MAX_ERROR_LENGTH = 200;

    private static final Pattern SECRET =
            Pattern.compile("\\b(?:sk|rk|pk|whsec)_[A-Za-z0-9_]{4,}|\\beyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+");

    private FailureSummary() {}

    /**
     * @param next when the next attempt is due; empty when there is none (the event is dead)
     */
    static String of(int attempt, Optional<Instant> next, Throwable ex) {
        String what = next.isPresent()
                ? "Processing failed on attempt " + attempt + "; it will be retried"
                : "Processing failed on attempt " + attempt + ", its last; it waits for an operator's replay";
        return what + ": " + error(ex);
    }

    /** The error as a tenant may read it: its first line, without SQL, parser text or secrets. */
    static String error(Throwable ex) {
        Optional<SQLException> sql = sqlCause(ex);
        if (sql.isPresent()) {
            String state = sql.get().getSQLState();
            return ex.getClass().getSimpleName() + (state == null ? "" : " (SQL state " + state + ")");
        }
        if (ex instanceof DataAccessException) {
            return ex.getClass().getSimpleName();
        }
        if (ex instanceof JacksonException) {
            return ex.getClass().getSimpleName() + " (unreadable JSON)";
        }
        String message = ex.getMessage() == null ? "" : ex.getMessage().strip();
        int newline = message.indexOf('\n');
        String line = ex.getClass().getSimpleName()
                + (message.isEmpty()
                        ? ""
                        : ": "
                                + (newline < 0
                                        ? message
                                        : message.substring(0, newline).strip()));
        String masked = mask(line);
        return masked.length() <= MAX_ERROR_LENGTH ? masked : masked.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    private static String mask(String text) {
        Matcher secrets = SECRET.matcher(text);
        StringBuilder masked = new StringBuilder();
        while (secrets.find()) {
            String found = secrets.group();
            secrets.appendReplacement(
                    masked, Matcher.quoteReplacement(found.startsWith("eyJ") ? "[token]" : Mask.secret(found)));
        }
        secrets.appendTail(masked);
        return masked.toString();
    }

    private static Optional<SQLException> sqlCause(Throwable ex) {
        Throwable cause = ex;
        for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }
}
