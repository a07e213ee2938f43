package com.anythingagents.billing.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The event a local billing row was last written from: its Stripe {@code created} time and id.
 * Rows only move forward in that time (DESIGN §1.4).
 */
public record RowVersion(Instant sourceEventCreated, String sourceEventId) {

    public RowVersion {
        Objects.requireNonNull(sourceEventCreated, "sourceEventCreated");
    }

    /**
     * The version of the row whose {@code idColumn} is {@code stripeId}, if it was written from an
     * event. Table and column are the caller's constants, never input.
     */
    public static Optional<RowVersion> find(JdbcClient jdbc, String table, String idColumn, String stripeId) {
        return jdbc.sql("select source_event_created, source_event_id from " + table + " where " + idColumn
                        + " = ? and source_event_created is not null")
                .param(stripeId)
                .query((rs, n) ->
                        new RowVersion(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2)))
                .optional();
    }
}
