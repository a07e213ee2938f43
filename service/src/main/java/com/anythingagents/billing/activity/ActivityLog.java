package com.anythingagents.billing.activity;

import com.anythingagents.billing.events.ActivityRecorder;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The billing activity ledger ({@code billing_activity}): written in the caller's transaction (the
 * worker's for Stripe events), read by the live stream. One row per Stripe event, however often the
 * event is processed or fails: a failed item until the event is processed, then the processed one. Each row of a tenant takes the tenant's next sequence (see V6 for why it is
 * allocated under a row lock), and is handed to the live stream once its transaction commits.
 */
@Component
class ActivityLog implements ActivityRecorder {

    static final String PROCESSED = "processed";

    static final String FAILED = "failed";

    private static final String COLUMNS = """
            seq, tenant_id, event_type, summary, processing_status, billing_status, stripe_subscription_id,
            stripe_invoice_id, plan_code, amount, currency, usage_quantity, occurred_at, stripe_event_id""";

    // The cursor upsert locks the tenant's cursor row until this transaction ends: the next writer of
    // the tenant waits here, so per tenant the sequence is handed out in commit order. A Stripe event
    // already in the ledger (a replay) takes no sequence and inserts nothing.
    private static final String INSERT_WITH_SEQUENCE = """
            with next as (
                insert into billing_activity_cursor as c (tenant_id, last_seq)
                select :tenant, 1
                where cast(:eventId as text) is null
                   or not exists (select 1 from billing_activity where stripe_event_id = cast(:eventId as text))
                on conflict (tenant_id) do update set last_seq = c.last_seq + 1
                returning last_seq
            )
            insert into billing_activity (%s)
            select next.last_seq, :tenant, :type, :summary, :processing, :billing, :subscription, :invoice, :plan,
                cast(:amount as bigint), :currency, cast(:usage as bigint), :occurredAt, cast(:eventId as text)
            from next
            on conflict (stripe_event_id) where stripe_event_id is not null do nothing
            returning %s
            """.formatted(COLUMNS, COLUMNS);

    // Several tenants' items in one statement: each tenant's cursor is bumped once by its count of
    // new items (rows locked in tenant order, as the per-item path does) and the items take the
    // sequences in between, in the order given. Items of events already in the ledger are skipped.
    private static final String INSERT_ALL_WITH_SEQUENCES = """
            with items as (
                select * from unnest(cast(:tenants as text[]), cast(:types as text[]), cast(:summaries as text[]),
                    cast(:billing as text[]), cast(:subscriptions as text[]), cast(:invoices as text[]),
                    cast(:plans as text[]), cast(:amounts as bigint[]), cast(:currencies as text[]),
                    cast(:usages as bigint[]), cast(:occurred as text[]), cast(:eventIds as text[]))
                    with ordinality as i(tenant_id, event_type, summary, billing_status, stripe_subscription_id,
                        stripe_invoice_id, plan_code, amount, currency, usage_quantity, occurred_at,
                        stripe_event_id, ord)
            ), fresh as (
                select i.*, row_number() over (partition by i.tenant_id order by i.ord) as n from items i
                where not exists (select 1 from billing_activity a where a.stripe_event_id = i.stripe_event_id)
            ), counts as (
                select tenant_id, count(*) as added from fresh group by tenant_id
            ), bumped as (
                insert into billing_activity_cursor as c (tenant_id, last_seq)
                select tenant_id, added from counts order by tenant_id
                on conflict (tenant_id) do update set last_seq = c.last_seq + excluded.last_seq
                returning tenant_id, last_seq
            )
            insert into billing_activity (%s)
            select bumped.last_seq - counts.added + fresh.n, fresh.tenant_id, fresh.event_type, fresh.summary,
                :processing, fresh.billing_status, fresh.stripe_subscription_id, fresh.stripe_invoice_id,
                fresh.plan_code, fresh.amount, fresh.currency, fresh.usage_quantity,
                cast(fresh.occurred_at as timestamptz), fresh.stripe_event_id
            from fresh join counts using (tenant_id) join bumped using (tenant_id)
            order by fresh.tenant_id, fresh.n
            on conflict (stripe_event_id) where stripe_event_id is not null do nothing
            returning %s
            """.formatted(COLUMNS, COLUMNS);

    private final JdbcClient jdbc;

    private final ActivityPublication publication;

    ActivityLog(JdbcClient jdbc, ActivityPublication publication) {
        this.jdbc = jdbc;
        this.publication = publication;
    }

    @Override
    public void record(StripeEvent event, BillingChange change) {
        insert(change.tenantId(), event.type(), PROCESSED, change, event.id(), event.created());
    }

    /**
     * The failed item stays the event's one item until the event is processed: a later failure of
     * the same event inserts nothing (the insert finds the event recorded) and updates nothing. An
     * update in place would never reach the stream (clients follow new sequences, not changed rows)
     * and a new row per attempt would fill the panel with one bubble per retry; the attempt count,
     * the last error and whether it is dead are in the Stripe events ledger.
     */
    @Override
    public void recordFailure(StripeEvent event, String tenantId, String summary) {
        insert(tenantId, event.type(), FAILED, BillingChange.of(tenantId, summary), event.id(), event.created());
    }

    /**
     * The tenants' items in one statement (one round trip for a worker's whole batch), the others
     * one by one; an event's first change is its item, as with {@link #record}.
     */
    @Override
    public void recordAll(List<Recorded> changes) {
        List<Recorded> withTenant = new ArrayList<>(changes.size());
        Set<String> events = new HashSet<>();
        for (Recorded recorded : changes) {
            if (recorded.change().tenantId() == null) {
                record(recorded.event(), recorded.change());
            } else if (events.add(recorded.event().id())) {
                withTenant.add(recorded);
            }
        }
        if (withTenant.isEmpty()) {
            return;
        }
        jdbc
                .sql(INSERT_ALL_WITH_SEQUENCES)
                .param("tenants", column(withTenant, r -> r.change().tenantId()))
                .param("types", column(withTenant, r -> r.event().type()))
                .param("summaries", column(withTenant, r -> r.change().summary()))
                .param("billing", column(withTenant, r -> r.change().billingStatus()))
                .param("subscriptions", column(withTenant, r -> r.change().subscriptionId()))
                .param("invoices", column(withTenant, r -> r.change().invoiceId()))
                .param("plans", column(withTenant, r -> r.change().planCode()))
                .param(
                        "amounts",
                        withTenant.stream().map(r -> r.change().amount()).toArray(Long[]::new))
                .param("currencies", column(withTenant, r -> r.change().currency()))
                .param(
                        "usages",
                        withTenant.stream().map(r -> r.change().usageQuantity()).toArray(Long[]::new))
                .param("occurred", column(withTenant, r -> r.event().created().toString()))
                .param("eventIds", column(withTenant, r -> r.event().id()))
                .param("processing", PROCESSED)
                .query(ActivityLog::entry)
                .list()
                .stream()
                // published in each tenant's sequence order, whatever order RETURNING gave them in
                .sorted(Comparator.comparing(ActivityEntry::tenantId).thenComparingLong(ActivityEntry::seq))
                .forEach(publication::add);
    }

    private static String[] column(List<Recorded> changes, Function<Recorded, String> value) {
        return changes.stream().map(value).toArray(String[]::new);
    }

    @Override
    public void recordProcessed(List<StripeEvent> processed, List<Recorded> changes) {
        Map<String, String> failedTenants = processed.isEmpty()
                ? Map.of()
                : deleteFailed(processed.stream().map(StripeEvent::id).toList());
        if (failedTenants.isEmpty()) {
            recordAll(changes);
            return;
        }
        Set<String> changed = new HashSet<>();
        changes.forEach(c -> changed.add(c.event().id()));
        List<Recorded> all = new ArrayList<>(changes);
        for (StripeEvent event : processed) {
            String tenant = failedTenants.get(event.id());
            if (tenant != null && changed.add(event.id())) {
                all.add(new Recorded(
                        event, BillingChange.of(tenant, "Processed after a failed attempt; it changed nothing")));
            }
        }
        // the caller's order (by tenant, so the sequences' row locks are taken in one global order),
        // with the added items in it
        all.sort(Comparator.comparing(
                (Recorded r) -> r.change().tenantId(), Comparator.nullsFirst(Comparator.naturalOrder())));
        recordAll(all);
    }

    /** Deletes the failed items of these events; @return their tenants by Stripe event id. */
    private Map<String, String> deleteFailed(List<String> stripeEventIds) {
        Map<String, String> tenants = new HashMap<>();
        jdbc.sql("""
                        delete from billing_activity
                        where stripe_event_id = any(?) and processing_status = 'failed' and tenant_id is not null
                        returning stripe_event_id, tenant_id""")
                .param(stripeEventIds.toArray(String[]::new))
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .forEach(failed -> tenants.put(failed.getKey(), failed.getValue()));
        return tenants;
    }

    /**
     * Rows recorded without a tenant are recorded again under it: deleted and inserted through the
     * same path as a new row, so they take the tenant's next sequences and reach its live stream.
     */
    @Override
    public void assignTenant(String tenantId, Collection<String> stripeEventIds) {
        jdbc.sql("""
                        delete from billing_activity where tenant_id is null and stripe_event_id = any(?)
                        returning event_type, processing_status, summary, billing_status, stripe_subscription_id,
                            stripe_invoice_id, plan_code, amount, currency, usage_quantity, stripe_event_id, occurred_at
                        """)
                .param(stripeEventIds.toArray(String[]::new))
                .query((rs, n) -> new Unassigned(
                        rs.getString("event_type"),
                        rs.getString("processing_status"),
                        new BillingChange(
                                tenantId,
                                rs.getString("summary"),
                                rs.getString("billing_status"),
                                rs.getString("stripe_subscription_id"),
                                rs.getString("stripe_invoice_id"),
                                rs.getString("plan_code"),
                                rs.getObject("amount", Long.class),
                                rs.getString("currency"),
                                rs.getObject("usage_quantity", Long.class)),
                        rs.getString("stripe_event_id"),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant()))
                .list()
                .forEach(row -> insert(
                        tenantId, row.type(), row.processing(), row.change(), row.stripeEventId(), row.occurredAt()));
    }

    /** A row recorded without a tenant, as it is recorded again. */
    private record Unassigned(
            String type, String processing, BillingChange change, String stripeEventId, Instant occurredAt) {}

    /**
     * Inserts one item in the caller's transaction. With a tenant it gets the tenant's next sequence
     * and is published to the live stream after the transaction commits; without one it is only kept.
     * @return the stored item, empty when it has no tenant or its Stripe event is already recorded
     */
    Optional<ActivityEntry> insert(
            String tenantId,
            String type,
            String processing,
            BillingChange change,
            String stripeEventId,
            Instant occurredAt) {
        if (tenantId == null) {
            insertUnassigned(type, processing, change, stripeEventId, occurredAt);
            return Optional.empty();
        }
        Optional<ActivityEntry> entry = jdbc.sql(INSERT_WITH_SEQUENCE)
                .params(values(type, processing, change, stripeEventId, occurredAt))
                .param("tenant", tenantId)
                .query(ActivityLog::entry)
                .optional();
        entry.ifPresent(publication::add);
        return entry;
    }

    private void insertUnassigned(
            String type, String processing, BillingChange change, String stripeEventId, Instant occurredAt) {
        jdbc.sql("""
                        insert into billing_activity (event_type, summary, processing_status, billing_status,
                            stripe_event_id, stripe_subscription_id, stripe_invoice_id, plan_code, amount, currency,
                            usage_quantity, occurred_at)
                        values (:type, :summary, :processing, :billing, :eventId, :subscription, :invoice, :plan,
                            cast(:amount as bigint), :currency, cast(:usage as bigint), :occurredAt)
                        on conflict (stripe_event_id) where stripe_event_id is not null do nothing
                        """)
                .params(values(type, processing, change, stripeEventId, occurredAt))
                .update();
    }

    /** The named parameters of an insert, but the tenant (null values included: a HashMap). */
    private static Map<String, Object> values(
            String type, String processing, BillingChange change, String stripeEventId, Instant occurredAt) {
        Map<String, Object> values = new HashMap<>();
        values.put("type", type);
        values.put("summary", change.summary());
        values.put("processing", processing);
        values.put("billing", change.billingStatus());
        values.put("subscription", change.subscriptionId());
        values.put("invoice", change.invoiceId());
        values.put("plan", change.planCode());
        values.put("amount", change.amount());
        values.put("currency", change.currency());
        values.put("usage", change.usageQuantity());
        values.put("occurredAt", occurredAt.atOffset(ZoneOffset.UTC));
        values.put("eventId", stripeEventId);
        return values;
    }

    /** A tenant's items after {@code afterSeq} (0 for all), oldest first, at most {@code limit}. */
    List<ActivityEntry> after(String tenantId, long afterSeq, int limit) {
        return jdbc.sql("select " + COLUMNS
                        + " from billing_activity where tenant_id = ? and seq > ? order by seq limit ?")
                .params(tenantId, afterSeq, limit)
                .query(ActivityLog::entry)
                .list();
    }

    /** A tenant's items before {@code beforeSeq} (all when empty), newest first, at most {@code limit}. */
    List<ActivityEntry> before(String tenantId, Optional<Long> beforeSeq, int limit) {
        return jdbc.sql("select " + COLUMNS + " from billing_activity where tenant_id = ? and seq < ?"
                        + " order by seq desc limit ?")
                .params(tenantId, beforeSeq.orElse(Long.MAX_VALUE), limit)
                .query(ActivityLog::entry)
                .list();
    }

    /** The last committed sequence of each tenant (0 for a tenant without activity). */
    Map<String, Long> latestSeqs(Collection<String> tenantIds) {
        Map<String, Long> latest = new HashMap<>();
        tenantIds.forEach(tenant -> latest.put(tenant, 0L));
        if (!tenantIds.isEmpty()) {
            jdbc.sql("select tenant_id, last_seq from billing_activity_cursor where tenant_id in (:tenants)")
                    .param("tenants", tenantIds)
                    .query()
                    .listOfRows()
                    .forEach(row -> latest.put((String) row.get("tenant_id"), (Long) row.get("last_seq")));
        }
        return latest;
    }

    private static ActivityEntry entry(ResultSet rs, int row) throws SQLException {
        return new ActivityEntry(
                rs.getLong("seq"),
                rs.getString("tenant_id"),
                rs.getString("event_type"),
                rs.getString("summary"),
                rs.getString("processing_status"),
                rs.getString("billing_status"),
                rs.getString("stripe_subscription_id"),
                rs.getString("stripe_invoice_id"),
                rs.getString("plan_code"),
                rs.getObject("amount", Long.class),
                rs.getString("currency"),
                rs.getObject("usage_quantity", Long.class),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("stripe_event_id"));
    }
}
