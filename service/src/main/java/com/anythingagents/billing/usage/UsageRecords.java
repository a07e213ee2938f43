package com.anythingagents.billing.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code usage_records}, the usage outbox: the one place that reads and writes it. A record is
 * written once per tenant and idempotency key; the worker leases due records (the lease token is
 * {@code locked_by} + {@code locked_until}) and every mark checks it, returning what it changed.
 */
@Repository
class UsageRecords {

    private static final String CLAIMED_COLUMNS = "u.id, u.tenant_id, u.feature_key, u.quantity, u.occurred_at,"
            + " u.idempotency_key, u.stripe_customer_id, u.meter_event_name, u.attempts, u.unknown_since";

    private static final String STORED_COLUMNS =
            "id, tenant_id, feature_key, quantity, occurred_at, idempotency_key," + " status, attempts, last_error";

    private final JdbcClient jdbc;

    UsageRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A worker's lease on the records of one claim. */
    record Lease(String worker, Instant until) {}

    /** A record a mark changed: what the activity item of the change sums up. */
    record Marked(String tenantId, String featureKey, long quantity) {}

    /** Inserts the record unless the tenant used the key already; one statement, committed on return. */
    Optional<UsageRecord> insert(
            String tenantId,
            String featureKey,
            long quantity,
            Instant occurredAt,
            String idempotencyKey,
            String customerId,
            String meterEventName,
            Instant now) {
        return jdbc.sql("""
                        insert into usage_records (tenant_id, feature_key, quantity, occurred_at, idempotency_key,
                            stripe_customer_id, meter_event_name, next_attempt_at, created_at)
                        values (:tenant, :feature, :quantity, :occurredAt, :key, :customer, :event, :now, :now)
                        on conflict (tenant_id, idempotency_key) do nothing
                        returning id, feature_key, quantity, occurred_at, idempotency_key, status""")
                .param("tenant", tenantId)
                .param("feature", featureKey)
                .param("quantity", quantity)
                .param("occurredAt", time(occurredAt))
                .param("key", idempotencyKey)
                .param("customer", customerId)
                .param("event", meterEventName)
                .param("now", time(now))
                .query(UsageRecords::record)
                .optional();
    }

    Optional<UsageRecord> find(String tenantId, String idempotencyKey) {
        return jdbc.sql("""
                        select id, feature_key, quantity, occurred_at, idempotency_key, status from usage_records
                        where tenant_id = ? and idempotency_key = ?""")
                .params(tenantId, idempotencyKey)
                .query(UsageRecords::record)
                .optional();
    }

    /**
     * Leases up to {@code limit} due pending records, oldest due first, and counts the attempt now:
     * a worker that dies mid-delivery has still used it. A leased record's next attempt is its lease
     * end, so it leaves the due range and comes back by itself if the lease is lost.
     */
    List<ClaimedUsage> claim(Lease lease, Instant now, int limit) {
        return jdbc.sql("""
                        with due as (
                            select id from usage_records
                            where status = 'pending' and next_attempt_at <= :now
                            order by next_attempt_at, id
                            limit :limit
                            for update skip locked)
                        update usage_records u set attempts = u.attempts + 1, locked_by = :worker,
                            locked_until = :until, next_attempt_at = :until
                        from due where u.id = due.id
                        returning\s""" + CLAIMED_COLUMNS)
                .param("now", time(now))
                .param("limit", limit)
                .param("worker", lease.worker())
                .param("until", time(lease.until()))
                .query(UsageRecords::claimed)
                .list();
    }

    List<Marked> markReported(List<Long> ids, Lease lease, Instant now) {
        return jdbc.sql("""
                        update usage_records set status = 'reported', reported_at = :now, last_error = null,
                            locked_by = null, locked_until = null
                        where id = any(:ids) and locked_by = :worker and locked_until = :until
                        returning tenant_id, feature_key, quantity""")
                .param("now", time(now))
                .param("ids", ids.toArray(Long[]::new))
                .param("worker", lease.worker())
                .param("until", time(lease.until()))
                .query(UsageRecords::marked)
                .list();
    }

    /**
     * Back to pending, due at {@code next}; the ones in {@code maybeSent} (their send may have reached
     * Stripe) keep the time of their first such failure. Returns how many were still leased by us.
     */
    int markRetry(List<Long> ids, Collection<Long> maybeSent, Lease lease, String error, Instant now, Instant next) {
        return jdbc.sql("""
                        update usage_records set last_error = :error, next_attempt_at = :next,
                            unknown_since = case when id = any(:maybeSent) then coalesce(unknown_since, :now)
                                else unknown_since end,
                            locked_by = null, locked_until = null
                        where id = any(:ids) and locked_by = :worker and locked_until = :until""")
                .param("error", error)
                .param("maybeSent", maybeSent.toArray(Long[]::new))
                .param("now", time(now))
                .param("next", time(next))
                .param("ids", ids.toArray(Long[]::new))
                .param("worker", lease.worker())
                .param("until", time(lease.until()))
                .update();
    }

    /** Failed for good: not billed, kept for operators and the usage totals. */
    List<Marked> markFailed(List<Long> ids, Lease lease, String error) {
        return jdbc.sql("""
                        update usage_records set status = 'failed', last_error = :error,
                            next_attempt_at = 'infinity', locked_by = null, locked_until = null
                        where id = any(:ids) and locked_by = :worker and locked_until = :until
                        returning tenant_id, feature_key, quantity""")
                .param("error", error)
                .param("ids", ids.toArray(Long[]::new))
                .param("worker", lease.worker())
                .param("until", time(lease.until()))
                .query(UsageRecords::marked)
                .list();
    }

    Optional<StoredUsage> stored(long id) {
        return jdbc.sql("select " + STORED_COLUMNS + " from usage_records where id = ?")
                .param(id)
                .query(UsageRecords::stored)
                .optional();
    }

    /**
     * Failed records that Stripe's window still allows, oldest first (the ones past it stay failed
     * for good: listing them would hide the others behind them).
     */
    List<StoredUsage> failed(Optional<String> tenantId, Instant windowOpensAfter, int limit) {
        return jdbc.sql("select " + STORED_COLUMNS + """
                         from usage_records
                        where status = 'failed' and (cast(:tenant as text) is null or tenant_id = :tenant)
                          and occurred_at >= :after
                        order by id limit :limit""")
                .param("tenant", tenantId.orElse(null))
                .param("after", windowOpensAfter.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .query(UsageRecords::stored)
                .list();
    }

    /**
     * Failed records back to pending, due at {@code now} with their attempts reset, unless their
     * timestamp is before {@code windowOpensAfter}; tenant and key stay, and so does the meter event
     * identifier derived from them. Returns the ids it changed.
     */
    List<Long> requeue(List<Long> ids, Instant windowOpensAfter, Instant now) {
        return jdbc.sql("""
                        update usage_records set status = 'pending', attempts = 0, next_attempt_at = :now,
                            last_error = null, unknown_since = null, locked_by = null, locked_until = null
                        where id = any(:ids) and status = 'failed' and occurred_at >= :windowOpensAfter
                        returning id""")
                .param("now", time(now))
                .param("ids", ids.toArray(Long[]::new))
                .param("windowOpensAfter", time(windowOpensAfter))
                .query(Long.class)
                .list();
    }

    /** When the oldest record still waiting for Stripe was stored. */
    Optional<Instant> oldestPendingCreatedAt() {
        return jdbc.sql("select min(created_at) from usage_records where status = 'pending'")
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant))
                .single();
    }

    private static UsageRecord record(ResultSet rs, int row) throws SQLException {
        return new UsageRecord(
                rs.getLong("id"),
                rs.getString("feature_key"),
                rs.getLong("quantity"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("idempotency_key"),
                UsageStatus.fromColumn(rs.getString("status")));
    }

    private static ClaimedUsage claimed(ResultSet rs, int row) throws SQLException {
        return new ClaimedUsage(
                rs.getLong("id"),
                rs.getString("tenant_id"),
                rs.getString("feature_key"),
                rs.getLong("quantity"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("idempotency_key"),
                rs.getString("stripe_customer_id"),
                rs.getString("meter_event_name"),
                rs.getInt("attempts"),
                Optional.ofNullable(rs.getObject("unknown_since", OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant));
    }

    private static StoredUsage stored(ResultSet rs, int row) throws SQLException {
        return new StoredUsage(
                rs.getLong("id"),
                rs.getString("tenant_id"),
                rs.getString("feature_key"),
                rs.getLong("quantity"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("idempotency_key"),
                rs.getString("status"),
                rs.getInt("attempts"),
                rs.getString("last_error"));
    }

    private static Marked marked(ResultSet rs, int row) throws SQLException {
        return new Marked(rs.getString("tenant_id"), rs.getString("feature_key"), rs.getLong("quantity"));
    }

    static OffsetDateTime time(Instant instant) {
        // Postgres keeps microseconds: a lease compared for equality must be written as it is read
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
