package com.anythingagents.billing.doctor;

import com.anythingagents.billing.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What waits in the database: Stripe events not yet processed (the oldest), dead events (out of
 * attempts, waiting for a replay) and usage not yet reported to Stripe. Reads only.
 */
final class Backlog {

    /** An unprocessed event older than this means the worker is stuck or far behind (the runbook's alert). */
    static final Duration STALE_EVENT = Duration.ofMinutes(15);

    /** Usage older than this and still pending: the outbox is not delivering. */
    static final Duration STALE_USAGE = Duration.ofHours(1);

    private Backlog() {}

    static List<Finding> examine(DatabaseUrl database, Instant now) {
        try (Connection connection = Infrastructure.connect(database);
                Statement statement = connection.createStatement()) {
            if (!tableExists(statement, "stripe_events")) {
                return List.of(Finding.warning(
                        "schema",
                        "the database has no billing tables yet",
                        "`make migrate` (the service also migrates when it starts)"));
            }
            List<Finding> findings = new ArrayList<>(events(statement, now));
            if (tableExists(statement, "usage_records")) {
                findings.add(usage(statement, now));
            }
            return findings;
        } catch (SQLException ex) {
            return List.of(Finding.error(
                    "backlog",
                    "could not read it: " + Infrastructure.firstLine(ex.getMessage()),
                    "check that DATABASE_URL's user may read the billing tables"));
        }
    }

    private static boolean tableExists(Statement statement, String table) throws SQLException {
        try (ResultSet rs = statement.executeQuery("select to_regclass('" + table + "') is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static List<Finding> events(Statement statement, Instant now) throws SQLException {
        // dead = failed with no attempt left: next_attempt_at is 'infinity' until a replay
        try (ResultSet rs = statement.executeQuery("""
                select count(*) filter (where status <> 'processed' and next_attempt_at < 'infinity') as waiting,
                       min(received_at) filter (where status <> 'processed' and next_attempt_at < 'infinity')
                           as oldest,
                       count(*) filter (where status = 'failed' and next_attempt_at = 'infinity') as dead
                from stripe_events""")) {
            rs.next();
            long waiting = rs.getLong("waiting");
            Timestamp oldest = rs.getTimestamp("oldest");
            long dead = rs.getLong("dead");
            List<Finding> findings = new ArrayList<>();
            if (waiting == 0) {
                findings.add(Finding.ok("stripe events", "none waiting to be processed"));
            } else {
                Duration age = Duration.between(oldest.toInstant(), now);
                String message = waiting + " waiting, the oldest received " + ago(age);
                findings.add(
                        age.compareTo(STALE_EVENT) > 0
                                ? Finding.warning(
                                        "stripe events",
                                        message,
                                        "is the service running? its worker processes them (runbook: Statuses)")
                                : Finding.ok("stripe events", message));
            }
            findings.add(
                    dead == 0
                            ? Finding.ok("dead events", "none")
                            : Finding.warning(
                                    "dead events",
                                    dead + " out of attempts, waiting for a replay",
                                    "`make stripe-replay ARGS=\"list\"`, fix the cause, then replay them"
                                            + " (docs/billing/stripe-runbook.md)"));
            return findings;
        }
    }

    private static Finding usage(Statement statement, Instant now) throws SQLException {
        try (ResultSet rs = statement.executeQuery("""
                select count(*) filter (where status = 'pending') as pending,
                       min(created_at) filter (where status = 'pending') as oldest,
                       count(*) filter (where status = 'failed') as failed
                from usage_records""")) {
            rs.next();
            long pending = rs.getLong("pending");
            Timestamp oldest = rs.getTimestamp("oldest");
            long failed = rs.getLong("failed");
            String message = pending == 0
                    ? "nothing pending"
                    : pending + " pending, the oldest recorded " + ago(Duration.between(oldest.toInstant(), now));
            if (failed > 0) {
                return Finding.warning(
                        "usage outbox",
                        message + "; " + failed + " failed (not billed)",
                        "fix the cause in last_error, then make stripe-replay-usage ARGS=\"--all-failed --dry-run\""
                                + " (\"Usage outbox\" in docs/billing/stripe-runbook.md)");
            }
            if (pending > 0 && Duration.between(oldest.toInstant(), now).compareTo(STALE_USAGE) > 0) {
                return Finding.warning(
                        "usage outbox",
                        message,
                        "is the service running with billing on? its usage worker reports them");
            }
            return Finding.ok("usage outbox", message);
        }
    }

    private static String ago(Duration age) {
        long seconds = Math.max(age.toSeconds(), 0);
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        return seconds / 3600 + " h ago";
    }
}
