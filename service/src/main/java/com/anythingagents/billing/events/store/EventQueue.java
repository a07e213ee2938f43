package com.anythingagents.billing.events.store;

import static com.anythingagents.billing.events.store.StripeEventStore.instant;
import static com.anythingagents.billing.events.store.StripeEventStore.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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

    private final TransactionTemplate transaction;

    EventQueue(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** One processed event and what the worker found out about it. */
    public record Done(long id, String tenantId, String customerId, String tenantConflict) {}

    /**
     * Leases up to {@code limit} due rows, oldest Stripe time first, and counts the attempt now: a
     * worker that dies (or an {@link Error}) mid-event cannot make the event retry forever. Expired
     * leases count as due; dead rows are not even scanned (partial index).
     */
    public List<ClaimedEvent> claim(String claim, Instant now, Instant leaseUntil, int limit) {
        return transaction.execute(status -> {
            // claims run one at a time: each takes the oldest due rows as one slice, so two claims
            // never interleave one customer's events (SKIP LOCKED would let a concurrent claim take
            // the row between two of ours), and the in-order check of the applier holds
            jdbc.sql("select pg_advisory_xact_lock(hashtextextended('stripe_events:claim', 0))")
                    .query()
                    .listOfRows();
            return jdbc.sql(CLAIM)
                    .param("now", time(now))
                    .param("until", time(micros(leaseUntil)))
                    .param("claim", claim)
                    .param("limit", limit)
                    .query(EventQueue::claimed)
                    .list();
        });
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
     * Records a failed attempt ({@code attempts}: as counted at claim time).
     * @param nextAttempt empty when no attempt is left: the row waits for a replay ('infinity')
     */
    public int markFailed(ClaimedEvent event, int attempts, String error, Optional<Instant> nextAttempt) {
        return jdbc.sql("""
                        update stripe_events set status = 'failed', attempts = :attempts, last_error = :error,
                            next_attempt_at = coalesce(cast(:next as timestamptz), 'infinity'),
                            locked_until = null, locked_by = null
                        where id = :id and locked_by = :claim""")
                .param("attempts", attempts)
                .param("error", error)
                .param("next", nextAttempt.map(StripeEventStore::time).orElse(null))
                .param("id", event.id())
                .param("claim", event.claim())
                .update();
    }

    /** An event's place in the claim order: Stripe's created, then the row id. */
    public record Position(String customerId, Instant created, long id) {}

    /**
     * For each run (a customer's events in one claim, given by its last event), the oldest event
     * of that customer older than the run's last one that is still to be applied by someone else:
     * held by another live claim, or given back and due again. The run's events after it must
     * wait, or the customer's events would be applied out of order. Events waiting for a retry
     * (not due yet) or dead never hold their neighbours up.
     */
    public Map<String, Position> pendingElsewhereBefore(String claim, List<Position> runEnds, Instant now) {
        return jdbc
                .sql("""
                        select distinct on (r.customer) r.customer, extract(epoch from e.stripe_created_at)::bigint, e.id
                        from unnest(cast(:customers as text[]), cast(:created as bigint[]), cast(:ids as bigint[]))
                            as r(customer, created, id)
                        join stripe_events e on e.customer_id = r.customer
                        where e.status <> 'processed' and e.next_attempt_at < 'infinity'
                          and e.locked_by is distinct from :claim
                          and (e.locked_until >= :now or e.next_attempt_at <= :now)
                          and (e.stripe_created_at, e.id) < (to_timestamp(r.created), r.id)
                        order by r.customer, e.stripe_created_at, e.id""")
                .param("customers", runEnds.stream().map(Position::customerId).toArray(String[]::new))
                .param(
                        "created",
                        runEnds.stream()
                                .mapToLong(r -> r.created().getEpochSecond())
                                .toArray())
                .param("ids", runEnds.stream().mapToLong(Position::id).toArray())
                .param("claim", claim)
                .param("now", time(now))
                .query((rs, n) -> new Position(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2)), rs.getLong(3)))
                .list()
                .stream()
                .collect(Collectors.toMap(Position::customerId, p -> p));
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
