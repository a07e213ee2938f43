package com.anythingagents.billing.events;

import java.sql.SQLException;
import java.util.Optional;

/** What PostgreSQL said about a failed statement: the SQLState of the first SQLException in the chain. */
public final class SqlStates {

    private SqlStates() {}

    public static Optional<String> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    /** Class 22 (data exception: bad JSON text, numeric overflow) and 54 (a limit, e.g. nesting): the input's fault. */
    public static boolean refusedAsData(Throwable failure) {
        return of(failure).filter(s -> s.startsWith("22") || s.startsWith("54")).isPresent();
    }
}
