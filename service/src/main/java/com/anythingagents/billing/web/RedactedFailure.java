package com.anythingagents.billing.web;

import java.sql.SQLException;

/**
 * A failure as it may be logged: the class names, SQL states and stack frames of the original and
 * its causes, without their messages, which can quote request bodies, tokens or SQL parameters.
 */
public final class RedactedFailure extends RuntimeException {

    private static final int MAX_CAUSES = 8;

    private RedactedFailure(Throwable original, int depth) {
        super(
                describe(original),
                original.getCause() == null || original.getCause() == original || depth >= MAX_CAUSES
                        ? null
                        : new RedactedFailure(original.getCause(), depth + 1),
                false,
                true);
        setStackTrace(original.getStackTrace());
    }

    public static RedactedFailure of(Throwable original) {
        return new RedactedFailure(original, 0);
    }

    private static String describe(Throwable original) {
        return original instanceof SQLException sql && sql.getSQLState() != null
                ? original.getClass().getName() + " (SQLState " + sql.getSQLState() + ")"
                : original.getClass().getName();
    }
}
