package com.anythingagents.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.UncategorizedSQLException;

/** Which database failures the webhook answers 503 (Stripe retries) rather than 500 or 400. */
class DatabaseStatesTests {

    @Test
    void theDatabasesOwnStateIsUnavailableNotTheEvents() {
        for (String state : new String[] {"08006", "57P01", "53100", "53300", "25006", "57014", "40001", "40P01"}) {
            assertThat(EventIntake.databaseUnavailable(failure(state)))
                    .as(state)
                    .isTrue();
        }
    }

    @Test
    void aBugOrTheEventsDataIsNot() {
        for (String state : new String[] {"42P01", "23505", "22P02", "54001"}) {
            assertThat(EventIntake.databaseUnavailable(failure(state)))
                    .as(state)
                    .isFalse();
        }
    }

    private static UncategorizedSQLException failure(String state) {
        return new UncategorizedSQLException("insert", "insert into stripe_events …", new SQLException("x", state));
    }
}
