package com.anythingagents.billing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the database holds for a set of Stripe event ids, read straight from the tables (not
 * through the service): stored rows, processed rows, and the effects each event left.
 */
final class Ledger {

    private final int port;

    /** The service's database on this loopback port (user {@code postgres}, database {@code postgres}). */
    Ledger(int port) {
        this.port = port;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** A server setting ({@code SHOW name}). */
    String setting(String name) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement("select current_setting(?)")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * Every acknowledged event is stored; then (bounded wait) every one is processed, and each left
     * exactly one activity row and is the source of exactly one subscription row: nothing lost,
     * nothing applied twice.
     */
    void assertEveryEventStoredAndAppliedOnce(Set<String> acknowledged, Duration processing) throws SQLException {
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(statuses(acknowledged).keySet());
        assertThat(missing).as("acknowledged with 2xx but not stored").isEmpty();

        await().atMost(processing)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(unprocessed(acknowledged))
                        .as("stored but not processed")
                        .isEmpty());

        Map<String, Long> activity = activityRows(acknowledged);
        Map<String, Long> subscriptions = subscriptionRows(acknowledged);
        Set<String> notOnce = new HashSet<>();
        for (String id : acknowledged) {
            if (activity.getOrDefault(id, 0L) != 1 || subscriptions.getOrDefault(id, 0L) != 1) {
                notOnce.add(id + " (activity " + activity.getOrDefault(id, 0L) + ", subscription "
                        + subscriptions.getOrDefault(id, 0L) + ")");
            }
        }
        assertThat(notOnce).as("events whose effect is not exactly one").isEmpty();
    }

    /** Stored events among {@code ids} with their status. */
    Map<String, String> statuses(Set<String> ids) throws SQLException {
        return pairs("select stripe_event_id, status from stripe_events where stripe_event_id = any(?)", ids);
    }

    Set<String> unprocessed(Set<String> ids) throws SQLException {
        Set<String> unprocessed = new HashSet<>(ids);
        statuses(ids).forEach((id, status) -> {
            if (status.equals("processed")) {
                unprocessed.remove(id);
            }
        });
        return unprocessed;
    }

    /** How many activity rows each event left (events without any are absent). */
    Map<String, Long> activityRows(Set<String> ids) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        pairs(
                        "select stripe_event_id, count(*)::text from billing_activity where stripe_event_id = any(?)"
                                + " group by stripe_event_id",
                        ids)
                .forEach((id, count) -> counts.put(id, Long.parseLong(count)));
        return counts;
    }

    /** How many subscription rows each event is the source of. */
    Map<String, Long> subscriptionRows(Set<String> ids) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        pairs(
                        "select source_event_id, count(*)::text from billing_subscriptions where source_event_id = any(?)"
                                + " group by source_event_id",
                        ids)
                .forEach((id, count) -> counts.put(id, Long.parseLong(count)));
        return counts;
    }

    /** Events among {@code ids} whose processing failed at least once (and was retried). */
    Set<String> failedAtLeastOnce(Set<String> ids) throws SQLException {
        return pairs(
                        "select stripe_event_id, status from stripe_events where stripe_event_id = any(?)"
                                + " and attempts > 0",
                        ids)
                .keySet();
    }

    /** Events among {@code ids} a worker has claimed and not finished (lease expired or not). */
    Set<String> claimedUnprocessed(Set<String> ids) throws SQLException {
        return pairs(
                        "select stripe_event_id, status from stripe_events where stripe_event_id = any(?)"
                                + " and status <> 'processed' and locked_by is not null",
                        ids)
                .keySet();
    }

    /**
     * Holds an exclusive lock on {@code billing_subscriptions} until closed: a worker that claims
     * subscription events blocks on the first one, with its whole claim still leased (webhooks are
     * still stored: the intake does not touch the table).
     */
    AutoCloseable lockSubscriptions() throws SQLException {
        Connection connection = connect();
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement()) {
            statement.execute("lock table billing_subscriptions in access exclusive mode");
        }
        return () -> {
            connection.rollback();
            connection.close();
        };
    }

    private Map<String, String> pairs(String sql, Set<String> ids) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return values;
    }
}
