package com.anythingagents.billing.events.store;

import com.anythingagents.billing.events.EventFilter;
import com.anythingagents.billing.events.EventStatus;
import com.anythingagents.billing.events.ReceivedEvent;
import com.anythingagents.billing.events.StoredEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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
     * Inserts the events whose Stripe ids are not stored yet, in one statement (committed on
     * return, one commit for them all); an id given twice is inserted once. The raw bytes go over
     * the wire once: each jsonb copy is derived from them in the database, or from the escaped text
     * when jsonb would refuse the bytes ({@code \u0000}). The tenant hint is kept apart from {@code
     * tenant_id}, which only the worker writes, once it has resolved the tenant: an unverified hint
     * never shows in a tenant's ledger.
     * @return the Stripe ids this statement inserted
     */
    public Set<String> insertAll(List<ReceivedEvent> events, Instant now) {
        return new HashSet<>(jdbc.sql("""
                        insert into stripe_events (stripe_event_id, event_type, api_version, livemode,
                            stripe_created_at, object_id, tenant_hint, customer_id, payload_raw, payload,
                            next_attempt_at, received_at)
                        select e.id, e.type, e.api_version, e.livemode, to_timestamp(e.created), e.object_id,
                            e.tenant_hint, e.customer_id, e.raw,
                            coalesce(cast(e.jsonb_text as jsonb), cast(convert_from(e.raw, 'UTF8') as jsonb)),
                            :now, :now
                        from unnest(cast(:ids as text[]), cast(:types as text[]), cast(:apiVersions as text[]),
                            cast(:livemodes as boolean[]), cast(:created as bigint[]), cast(:objectIds as text[]),
                            cast(:tenantHints as text[]), cast(:customerIds as text[]), cast(:raws as bytea[]),
                            cast(:jsonbTexts as text[]))
                            as e(id, type, api_version, livemode, created, object_id, tenant_hint, customer_id, raw,
                                jsonb_text)
                        on conflict (stripe_event_id) do nothing
                        returning stripe_event_id""")
                .param("ids", column(events, ReceivedEvent::id))
                .param("types", column(events, ReceivedEvent::type))
                .param("apiVersions", column(events, e -> e.apiVersion().orElse(null)))
                .param("livemodes", events.stream().map(ReceivedEvent::livemode).toArray(Boolean[]::new))
                .param(
                        "created",
                        events.stream().map(e -> e.created().getEpochSecond()).toArray(Long[]::new))
                .param("objectIds", column(events, e -> e.objectId().orElse(null)))
                .param("tenantHints", column(events, e -> e.tenantHint().orElse(null)))
                .param("customerIds", column(events, e -> e.customerId().orElse(null)))
                .param("raws", events.stream().map(ReceivedEvent::payload).toArray(byte[][]::new))
                .param("jsonbTexts", column(events, e -> e.jsonbText().orElse(null)))
                .param("now", time(now))
                .query(String.class)
                .list());
    }

    private static String[] column(List<ReceivedEvent> events, Function<ReceivedEvent, String> value) {
        return events.stream().map(value).toArray(String[]::new);
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
