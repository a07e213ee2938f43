package com.anythingagents.billing.events.store;

import com.anythingagents.billing.events.EventFilter;
import com.anythingagents.billing.events.EventStatus;
import com.anythingagents.billing.events.ReceivedEvent;
import com.anythingagents.billing.events.StoredEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code stripe_events} as the intake writes it and operators read it; the worker's claims, leases
 * and status changes are {@link EventQueue}'s.
 */
@Repository
public class StripeEventStore {

    private static final String COLUMNS = "id, stripe_event_id, event_type, api_version, livemode, stripe_created_at,"
            + " object_id, tenant_id, customer_id, tenant_conflict, status, attempts, last_error, next_attempt_at,"
            + " locked_until, received_at, processed_at";

    private final JdbcClient jdbc;

    StripeEventStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the event unless its Stripe id is stored already; one atomic statement, committed on
     * return. The raw bytes go over the wire once: the jsonb copy is derived from them in the
     * database, or from the escaped text when jsonb would refuse the bytes ({@code \u0000}). The
     * tenant hint is kept apart from {@code tenant_id}, which only the worker writes, once it has
     * resolved the tenant: an unverified hint never shows in a tenant's ledger. The customer is
     * written now so the worker's claim does not read the payload to find it.
     */
    public boolean insert(ReceivedEvent event, Instant now) {
        return jdbc.sql("""
                        insert into stripe_events (stripe_event_id, event_type, api_version, livemode,
                            stripe_created_at, object_id, tenant_hint, customer_id, payload_raw, payload,
                            next_attempt_at, received_at)
                        select :id, :type, :apiVersion, :livemode, :created, :objectId, :tenantHint, :customerId,
                            body.raw,
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
                .param("customerId", event.customerId().orElse(null), Types.VARCHAR)
                .param("raw", event.payload(), Types.BINARY)
                .param("jsonbText", event.jsonbText().orElse(null), Types.VARCHAR)
                .param("now", time(now), Types.TIMESTAMP_WITH_TIMEZONE)
                .query(Long.class)
                .optional()
                .isPresent();
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
        if (filter.conflictsOnly()) {
            sql.append(" and tenant_conflict is not null");
        }
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
    public List<String> existing(List<String> stripeEventIds) {
        return jdbc.sql("select stripe_event_id from stripe_events where stripe_event_id = any(:ids)")
                .param("ids", stripeEventIds.toArray(String[]::new))
                .query(String.class)
                .list();
    }

    /** Age of the oldest event still to be processed (retrying included, dead excluded). */
    public Optional<Instant> oldestPendingReceivedAt() {
        return jdbc.sql("select min(received_at) from stripe_events where status <> 'processed'"
                        + " and next_attempt_at < 'infinity'")
                .query((rs, n) -> Optional.ofNullable(instant(rs, "min")))
                .single();
    }

    /** Deletes up to {@code limit} processed events received before {@code cutoff}; never others. */
    public int deleteProcessedBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                        delete from stripe_events where id in (
                            select id from stripe_events where status = 'processed' and received_at < :cutoff
                            order by id limit :limit)""").param("cutoff", time(cutoff)).param("limit", limit).update();
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
                Optional.ofNullable(rs.getString("customer_id")),
                Optional.ofNullable(rs.getString("tenant_conflict")),
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
    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        if (value == null) {
            return null;
        }
        return value.equals(OffsetDateTime.MAX) ? Instant.MAX : value.toInstant();
    }

    static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
