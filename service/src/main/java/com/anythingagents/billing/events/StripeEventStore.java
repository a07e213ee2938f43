package com.anythingagents.billing.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code stripe_events}: the one place that reads and writes it. Every conditional update returns
 * its row count; callers treat 0 as "someone else holds this row now".
 */
@Repository
public class StripeEventStore {

    private static final String COLUMNS = "id, stripe_event_id, event_type, api_version, livemode, stripe_created_at,"
            + " object_id, tenant_id, status, attempts, last_error, next_attempt_at, locked_until, received_at,"
            + " processed_at";

    // "e." because the claim joins its own CTE, which also has an id
    private static final String CLAIMED_COLUMNS = "e.id, e.stripe_event_id, e.event_type, e.api_version, e.livemode,"
            + " e.stripe_created_at, e.tenant_id, e.payload::text as payload, e.attempts, e.received_at,"
            + " e.locked_until, e.locked_by";

    private final JdbcClient jdbc;

    StripeEventStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the event unless its Stripe id is stored already; one atomic statement, committed on
     * return. The raw bytes go over the wire once: the jsonb copy is derived from them in the
     * database, or from the escaped text when jsonb would refuse the bytes ({@code \u0000}). The
     * tenant hint is kept apart from {@code tenant_id}, which only the worker writes, once it has
     * resolved the tenant: an unverified hint never shows in a tenant's ledger.
     */
    boolean insert(ReceivedEvent event, Instant now) {
        return jdbc.sql("""
                        insert into stripe_events (stripe_event_id, event_type, api_version, livemode,
                            stripe_created_at, object_id, tenant_hint, payload_raw, payload, next_attempt_at,
                            received_at)
                        select :id, :type, :apiVersion, :livemode, :created, :objectId, :tenantHint, body.raw,
                            coalesce(cast(:jsonbText as jsonb), cast(convert_from(body.raw, 'UTF8') as jsonb)),
                            :now, :now
                        from (select cast(:raw as bytea) as raw) body
                        on conflict (stripe_event_id) do nothing
                        returning id""")
                .param("id", event.id(), Types.VARCHAR)
                .param("type", event.type(), Types.VARCHAR)
                // typed nulls: an untyped null makes the driver ask the server for the parameter types
                .param("apiVersion", event.apiVersion().orElse(null), Types.VARCHAR)
                .param("livemode", event.livemode(), Types.BOOLEAN)
                .param("created", time(event.created()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("objectId", event.objectId().orElse(null), Types.VARCHAR)
                .param("tenantHint", event.tenantHint().orElse(null), Types.VARCHAR)
                .param("raw", event.payload(), Types.BINARY)
                .param("jsonbText", event.jsonbText().orElse(null), Types.VARCHAR)
                .param("now", time(now), Types.TIMESTAMP_WITH_TIMEZONE)
                .query(Long.class)
                .optional()
                .isPresent();
    }

    /** Leases up to {@code limit} due rows, oldest Stripe time first; crashed leases count as due. */
    List<ClaimedEvent> claim(String worker, Instant now, Instant leaseUntil, int limit) {
        return jdbc
                .sql("""
                        with due as (
                            select id from stripe_events
                            where status <> 'processed' and next_attempt_at <= :now
                              and (locked_until is null or locked_until < :now)
                            order by stripe_created_at, id
                            limit :limit
                            for update skip locked)
                        update stripe_events e set locked_until = :until, locked_by = :worker
                        from due where e.id = due.id
                        returning\s""" + CLAIMED_COLUMNS)
                .param("now", time(now))
                .param("until", time(micros(leaseUntil)))
                .param("worker", worker)
                .param("limit", limit)
                .query(StripeEventStore::claimed)
                .list()
                .stream()
                .sorted(Comparator.comparing(ClaimedEvent::created).thenComparing(ClaimedEvent::id))
                .toList();
    }

    /** Resets attempts and leases one event for an immediate replay; empty if unknown or leased by a worker. */
    Optional<ClaimedEvent> claimForReplay(String stripeEventId, String worker, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                        update stripe_events e set status = 'received', attempts = 0, last_error = null,
                            next_attempt_at = :now, locked_until = :until, locked_by = :worker
                        where stripe_event_id = :eventId and (locked_until is null or locked_until < :now)
                        returning\s""" + CLAIMED_COLUMNS)
                .param("eventId", stripeEventId)
                .param("now", time(now))
                .param("until", time(micros(leaseUntil)))
                .param("worker", worker)
                .query(StripeEventStore::claimed)
                .optional();
    }

    int markProcessed(ClaimedEvent event, Optional<String> tenantId, Instant now) {
        return jdbc.sql("""
                        update stripe_events set status = 'processed', processed_at = :now, tenant_id = :tenant,
                            last_error = null, next_attempt_at = :now, locked_until = null, locked_by = null
                        where id = :id and locked_by = :worker and locked_until = :until""")
                .param("now", time(now))
                .param("tenant", tenantId.orElse(null))
                .param("id", event.id())
                .param("worker", event.lease().worker())
                .param("until", time(event.lease().until()))
                .update();
    }

    /** @param nextAttempt empty when no attempt is left: the row waits for a replay ('infinity') */
    int markFailed(ClaimedEvent event, String error, Optional<Instant> nextAttempt) {
        return jdbc.sql("""
                        update stripe_events set status = 'failed', attempts = attempts + 1, last_error = :error,
                            next_attempt_at = coalesce(cast(:next as timestamptz), 'infinity'),
                            locked_until = null, locked_by = null
                        where id = :id and locked_by = :worker and locked_until = :until""")
                .param("error", error)
                .param("next", nextAttempt.map(StripeEventStore::time).orElse(null))
                .param("id", event.id())
                .param("worker", event.lease().worker())
                .param("until", time(event.lease().until()))
                .update();
    }

    public Optional<StoredEvent> find(String stripeEventId) {
        return jdbc.sql("select " + COLUMNS + ", payload::text as payload from stripe_events where stripe_event_id = ?")
                .param(stripeEventId)
                .query((rs, n) -> stored(rs, Optional.of(rs.getString("payload"))))
                .optional();
    }

    /** Newest first, without payloads. */
    public List<StoredEvent> list(EventFilter filter) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from stripe_events where true");
        filter.status().ifPresent(s -> sql.append(" and status = :status"));
        filter.type().ifPresent(t -> sql.append(" and event_type = :type"));
        filter.tenantId().ifPresent(t -> sql.append(" and tenant_id = :tenant"));
        filter.since().ifPresent(s -> sql.append(" and received_at >= :since"));
        filter.before().ifPresent(b -> sql.append(" and id < :before"));
        sql.append(" order by id desc limit :limit");
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString()).param("limit", filter.limit());
        filter.status().ifPresent(s -> statement.param("status", s.column()));
        filter.type().ifPresent(t -> statement.param("type", t));
        filter.tenantId().ifPresent(t -> statement.param("tenant", t));
        filter.since().ifPresent(s -> statement.param("since", time(s)));
        filter.before().ifPresent(b -> statement.param("before", b));
        return statement.query((rs, n) -> stored(rs, Optional.empty())).list();
    }

    /** Which of these Stripe event ids are stored already (for backfills). */
    List<String> existing(List<String> stripeEventIds) {
        return jdbc.sql("select stripe_event_id from stripe_events where stripe_event_id = any(:ids)")
                .param("ids", stripeEventIds.toArray(String[]::new))
                .query(String.class)
                .list();
    }

    /** Age of the oldest event still to be processed (retrying included, dead excluded). */
    Optional<Instant> oldestPendingReceivedAt() {
        return jdbc.sql("select min(received_at) from stripe_events where status <> 'processed'"
                        + " and next_attempt_at <> 'infinity'")
                .query((rs, n) -> Optional.ofNullable(instant(rs, "min")))
                .single();
    }

    /** Deletes up to {@code limit} processed events received before {@code cutoff}; never others. */
    int deleteProcessedBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                        delete from stripe_events where id in (
                            select id from stripe_events where status = 'processed' and received_at < :cutoff
                            order by id limit :limit)""").param("cutoff", time(cutoff)).param("limit", limit).update();
    }

    private static ClaimedEvent claimed(ResultSet rs, int row) throws SQLException {
        return new ClaimedEvent(
                rs.getLong("id"),
                rs.getString("stripe_event_id"),
                rs.getString("event_type"),
                Optional.ofNullable(rs.getString("api_version")),
                rs.getBoolean("livemode"),
                instant(rs, "stripe_created_at"),
                Optional.ofNullable(rs.getString("tenant_id")),
                rs.getString("payload"),
                rs.getInt("attempts"),
                instant(rs, "received_at"),
                new ClaimedEvent.Lease(rs.getString("locked_by"), instant(rs, "locked_until")));
    }

    private static StoredEvent stored(ResultSet rs, Optional<String> payload) throws SQLException {
        EventStatus status = EventStatus.fromColumn(rs.getString("status"));
        return new StoredEvent(
                rs.getLong("id"),
                rs.getString("stripe_event_id"),
                rs.getString("event_type"),
                Optional.ofNullable(rs.getString("api_version")),
                rs.getBoolean("livemode"),
                instant(rs, "stripe_created_at"),
                Optional.ofNullable(rs.getString("object_id")),
                Optional.ofNullable(rs.getString("tenant_id")),
                status,
                rs.getInt("attempts"),
                Optional.ofNullable(rs.getString("last_error")),
                Optional.ofNullable(instant(rs, "next_attempt_at"))
                        .filter(next -> status != EventStatus.PROCESSED && !next.equals(Instant.MAX)),
                Optional.ofNullable(instant(rs, "locked_until")),
                instant(rs, "received_at"),
                Optional.ofNullable(instant(rs, "processed_at")),
                payload);
    }

    /** 'infinity' reads as {@link Instant#MAX}. */
    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        if (value == null) {
            return null;
        }
        return value.equals(OffsetDateTime.MAX) ? Instant.MAX : value.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
