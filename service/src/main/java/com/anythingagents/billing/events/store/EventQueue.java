package com.anythingagents.billing.events.store;

import static com.anythingagents.billing.events.store.StripeEventStore.instant;
import static com.anythingagents.billing.events.store.StripeEventStore.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The worker's side of {@code stripe_events}, after db-scheduler: claims with {@code FOR UPDATE SKIP
 * LOCKED} and a lease held under a claim token, heartbeats, and status changes that match the
 * token. Every conditional update returns its row count: fewer rows than asked means another
 * worker took some over (the caller rolls back), more would be a bug.
 */
@Repository
public class EventQueue {

    // "e." because the claim joins its own CTE, which also has an id
    private static final String CLAIMED = "e.id, e.stripe_event_id, e.event_type, e.stripe_created_at,"
            + " e.payload::text as payload, e.attempts, e.received_at, e.locked_by";

    // the Stripe customer of data.object (the object itself when it is a customer; ids may be expanded)
    private static final String CUSTOMER = """
            case when e.payload #>> '{data,object,object}' = 'customer' then e.payload #>> '{data,object,id}'
                when jsonb_typeof(e.payload #> '{data,object,customer}') = 'object'
                    then e.payload #>> '{data,object,customer,id}'
                else e.payload #>> '{data,object,customer}' end""";

    private static final String CLAIM = """
            with due as (
                select id from stripe_events
                where status <> 'processed' and next_attempt_at < 'infinity'
                  and next_attempt_at <= :now and (locked_until is null or locked_until < :now)
                order by stripe_created_at, id
                limit :limit
                for update skip locked)
            update stripe_events e set locked_until = :until, locked_by = :claim, attempts = e.attempts + 1,
                customer_id = coalesce(e.customer_id, %s)
            from due where e.id = due.id
            returning %s""".formatted(CUSTOMER, CLAIMED);

    private final JdbcClient jdbc;

    EventQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One processed event and what the worker found out about it. */
    public record Done(long id, String tenantId, String customerId, String tenantConflict) {}

    /**
     * Leases up to {@code limit} due rows, oldest Stripe time first, and counts the attempt now: a
     * worker that dies (or an {@link Error}) mid-event cannot make the event retry forever. Expired
     * leases count as due; dead rows are not even scanned (partial index).
     */
    public List<ClaimedEvent> claim(String claim, Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql(CLAIM)
                .param("now", time(now))
                .param("until", time(micros(leaseUntil)))
                .param("claim", claim)
                .param("limit", limit)
                .query(EventQueue::claimed)
                .list();
    }

    /**
     * Leases one event for an immediate replay, its attempts reset (this replay is attempt 1);
     * empty if unknown or leased by a worker right now.
     */
    public Optional<ClaimedEvent> claimForReplay(String stripeEventId, String claim, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                        update stripe_events e set status = 'received', attempts = 1, last_error = null,
                            next_attempt_at = :now, locked_until = :until, locked_by = :claim,
                            customer_id = coalesce(e.customer_id, %s)
                        where stripe_event_id = :eventId and (locked_until is null or locked_until < :now)
                        returning %s""".formatted(CUSTOMER, CLAIMED))
                .param("eventId", stripeEventId)
                .param("now", time(now))
                .param("until", time(micros(leaseUntil)))
                .param("claim", claim)
                .query(EventQueue::claimed)
                .optional();
    }

    /**
     * Extends the lease of the rows a claim still holds (finished ones no longer carry the claim).
     * @return the ids another worker has claimed since: our lease on them had expired
     */
    public List<Long> renew(String claim, Collection<Long> ids, Instant until) {
        return jdbc.sql("""
                        with renewed as (
                            update stripe_events set locked_until = :until
                            where id = any(cast(:ids as bigint[])) and locked_by = :claim)
                        select id from stripe_events
                        where id = any(cast(:ids as bigint[])) and locked_by <> :claim""")
                .param("until", time(micros(until)))
                .param("ids", ids.stream().mapToLong(Long::longValue).toArray())
                .param("claim", claim)
                .query(Long.class)
                .list();
    }

    /** Marks these events of one claim processed, in one statement; returns how many were still the claim's. */
    public int markProcessed(String claim, List<Done> done, Instant now) {
        return jdbc.sql("""
                        update stripe_events e set status = 'processed', processed_at = :now, tenant_id = d.tenant,
                            customer_id = d.customer, tenant_conflict = d.conflict, last_error = null,
                            next_attempt_at = :now, locked_until = null, locked_by = null
                        from unnest(cast(:ids as bigint[]), cast(:tenants as text[]), cast(:customers as text[]),
                            cast(:conflicts as text[])) as d(id, tenant, customer, conflict)
                        where e.id = d.id and e.locked_by = :claim""")
                .param("now", time(now))
                .param("ids", done.stream().mapToLong(Done::id).toArray())
                .param("tenants", done.stream().map(Done::tenantId).toArray(String[]::new))
                .param("customers", done.stream().map(Done::customerId).toArray(String[]::new))
                .param("conflicts", done.stream().map(Done::tenantConflict).toArray(String[]::new))
                .param("claim", claim)
                .update();
    }

    /**
     * Records a failed attempt (counted at claim time already).
     * @param nextAttempt empty when no attempt is left: the row waits for a replay ('infinity')
     */
    public int markFailed(ClaimedEvent event, String error, Optional<Instant> nextAttempt) {
        return jdbc.sql("""
                        update stripe_events set status = 'failed', last_error = :error,
                            next_attempt_at = coalesce(cast(:next as timestamptz), 'infinity'),
                            locked_until = null, locked_by = null
                        where id = :id and locked_by = :claim""")
                .param("error", error)
                .param("next", nextAttempt.map(StripeEventStore::time).orElse(null))
                .param("id", event.id())
                .param("claim", event.claim())
                .update();
    }

    /** The first (oldest) event of a customer's run in a claim. */
    public record RunStart(String customerId, Instant created, long id) {}

    /**
     * The customers of these runs that have an older event not yet processed and held by another
     * live claim: applying the run now would apply the customer's events out of order.
     */
    public List<String> heldEarlierElsewhere(String claim, List<RunStart> runs, Instant now) {
        return jdbc.sql("""
                        select r.customer from unnest(cast(:customers as text[]), cast(:created as bigint[]),
                            cast(:ids as bigint[])) as r(customer, created, id)
                        where exists (select 1 from stripe_events e
                            where e.customer_id = r.customer and e.status <> 'processed'
                              and e.locked_by <> :claim and e.locked_until >= :now
                              and (e.stripe_created_at, e.id) < (to_timestamp(r.created), r.id))""")
                .param("customers", runs.stream().map(RunStart::customerId).toArray(String[]::new))
                .param(
                        "created",
                        runs.stream()
                                .mapToLong(r -> r.created().getEpochSecond())
                                .toArray())
                .param("ids", runs.stream().mapToLong(RunStart::id).toArray())
                .param("claim", claim)
                .param("now", time(now))
                .query(String.class)
                .list();
    }

    /** Gives claimed rows back unprocessed, their attempt not counted; returns how many were still ours. */
    public int release(String claim, Collection<Long> ids) {
        return jdbc.sql("""
                        update stripe_events set locked_until = null, locked_by = null, attempts = attempts - 1
                        where id = any(cast(:ids as bigint[])) and locked_by = :claim""")
                .param("ids", ids.stream().mapToLong(Long::longValue).toArray())
                .param("claim", claim)
                .update();
    }

    /**
     * Puts a customer's processed events that found no tenant back in the queue (attempts reset),
     * so they are applied again now that the customer's tenant is known.
     * @return their Stripe event ids
     */
    public List<String> requeueTenantless(String customerId, Instant now) {
        return jdbc.sql("""
                        update stripe_events set status = 'received', attempts = 0, last_error = null,
                            next_attempt_at = :now
                        where customer_id = :customer and tenant_id is null and status = 'processed'
                        returning stripe_event_id""")
                .param("customer", customerId)
                .param("now", time(now))
                .query(String.class)
                .list();
    }

    private static ClaimedEvent claimed(ResultSet rs, int row) throws SQLException {
        return new ClaimedEvent(
                rs.getLong("id"),
                rs.getString("stripe_event_id"),
                rs.getString("event_type"),
                instant(rs, "stripe_created_at"),
                rs.getString("payload"),
                rs.getInt("attempts"),
                instant(rs, "received_at"),
                rs.getString("locked_by"));
    }

    // Postgres keeps microseconds
    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
