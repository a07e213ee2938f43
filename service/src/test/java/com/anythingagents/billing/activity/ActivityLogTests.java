package com.anythingagents.billing.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.events.ActivityRecorder;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventParser;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

@BillingServiceTest
class ActivityLogTests {

    @Autowired
    ActivityLog log;

    @Autowired
    JdbcClient jdbc;

    final String tenant = "activity-" + UUID.randomUUID();

    @AfterEach
    void cleanUp() {
        jdbc.sql("delete from billing_activity where tenant_id in (?, ?)")
                .params(tenant, "other-" + tenant)
                .update();
        jdbc.sql("delete from billing_activity_cursor where tenant_id in (?, ?)")
                .params(tenant, "other-" + tenant)
                .update();
    }

    @Test
    void recordsOneRowPerEventHoweverOftenItIsRecorded() {
        StripeEvent paid = event("evt_paid_" + tenant, "invoice.paid", 1_700_000_000);
        BillingChange change = BillingChange.of(tenant, "Invoice in_1 paid: $29.00")
                .withStatus("paid")
                .withSubscription("sub_1", "pro")
                .withInvoice("in_1", 2900, "usd");

        log.record(paid, change);
        log.record(paid, change);

        assertThat(log.after(tenant, 0, 10)).singleElement().satisfies(entry -> {
            assertThat(entry.seq()).isEqualTo(1);
            assertThat(entry.tenantId()).isEqualTo(tenant);
            assertThat(entry.eventType()).isEqualTo("invoice.paid");
            assertThat(entry.summary()).isEqualTo("Invoice in_1 paid: $29.00");
            assertThat(entry.processingStatus()).isEqualTo("processed");
            assertThat(entry.billingStatus()).isEqualTo("paid");
            assertThat(entry.stripeEventId()).isEqualTo(paid.id());
            assertThat(entry.subscriptionId()).isEqualTo("sub_1");
            assertThat(entry.invoiceId()).isEqualTo("in_1");
            assertThat(entry.planCode()).isEqualTo("pro");
            assertThat(entry.amount()).isEqualTo(2900L);
            assertThat(entry.currency()).isEqualTo("usd");
            assertThat(entry.occurredAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
        });
    }

    @Test
    void recordsABatchOfSeveralTenantsWithEachTenantsNextSequencesInOrder() {
        String other = "other-" + tenant;
        StripeEvent earlier = event("evt_earlier_" + tenant, "charge.succeeded", 1);
        log.record(earlier, BillingChange.of(tenant, "earlier"));
        StripeEvent first = event("evt_a_" + tenant, "invoice.paid", 2);
        StripeEvent second = event("evt_b_" + tenant, "invoice.paid", 3);
        StripeEvent theOthers = event("evt_c_" + tenant, "invoice.paid", 4);

        log.recordAll(List.of(
                new ActivityRecorder.Recorded(earlier, BillingChange.of(tenant, "again: already in the ledger")),
                new ActivityRecorder.Recorded(
                        first, BillingChange.of(tenant, "first").withInvoice("in_a", 2900, "usd")),
                new ActivityRecorder.Recorded(first, BillingChange.of(tenant, "a second change of one event")),
                new ActivityRecorder.Recorded(theOthers, BillingChange.of(other, "the other tenant's")),
                new ActivityRecorder.Recorded(second, BillingChange.of(tenant, "second"))));

        assertThat(log.after(tenant, 0, 10))
                .extracting(ActivityEntry::seq, ActivityEntry::summary, ActivityEntry::amount)
                .containsExactly(tuple(1L, "earlier", null), tuple(2L, "first", 2900L), tuple(3L, "second", null));
        assertThat(log.after(other, 0, 10))
                .extracting(ActivityEntry::seq, ActivityEntry::summary, ActivityEntry::occurredAt)
                .containsExactly(tuple(1L, "the other tenant's", Instant.ofEpochSecond(4)));
        assertThat(log.latestSeqs(List.of(tenant, other)))
                .containsEntry(tenant, 3L)
                .containsEntry(other, 1L);
    }

    @Test
    void listsATenantsActivityAfterAGivenSequenceInOrder() {
        for (int i = 1; i <= 3; i++) {
            log.record(
                    event("evt_" + i + "_" + tenant, "charge.succeeded", i), BillingChange.of(tenant, "change " + i));
        }
        log.record(event("evt_other_" + tenant, "charge.succeeded", 4), BillingChange.of("other-" + tenant, "other"));
        List<ActivityEntry> all = log.after(tenant, 0, 10);

        List<ActivityEntry> rest = log.after(tenant, all.get(0).seq(), 10);

        assertThat(all).extracting(ActivityEntry::summary).containsExactly("change 1", "change 2", "change 3");
        assertThat(rest).extracting(ActivityEntry::summary).containsExactly("change 2", "change 3");
        assertThat(log.after(tenant, 0, 1)).hasSize(1);
    }

    @Test
    void eachTenantCountsItsOwnSequenceAndARecordedEventTakesNoNewOne() {
        StripeEvent first = event("evt_a_" + tenant, "charge.succeeded", 1);
        log.record(first, BillingChange.of(tenant, "a"));
        log.record(first, BillingChange.of(tenant, "a again")); // a replay
        log.record(event("evt_b_" + tenant, "charge.succeeded", 2), BillingChange.of(tenant, "b"));
        log.record(event("evt_c_" + tenant, "charge.succeeded", 3), BillingChange.of("other-" + tenant, "c"));

        assertThat(log.after(tenant, 0, 10)).extracting(ActivityEntry::seq).containsExactly(1L, 2L);
        assertThat(log.after("other-" + tenant, 0, 10))
                .extracting(ActivityEntry::seq)
                .containsExactly(1L);
        assertThat(log.before(tenant, java.util.Optional.empty(), 10))
                .extracting(ActivityEntry::summary)
                .containsExactly("b", "a");
    }

    @Test
    void activityWithoutTenantIsKeptButNotSequenced() {
        String eventId = "evt_unassigned_" + tenant;
        log.record(event(eventId, "customer.created", 1), BillingChange.of(null, "no tenant yet"));

        assertThat(jdbc.sql("select seq from billing_activity where stripe_event_id = ?")
                        .param(eventId)
                        .query((rs, row) -> rs.getObject(1))
                        .list())
                .containsExactly((Object) null);
        jdbc.sql("delete from billing_activity where stripe_event_id = ?")
                .param(eventId)
                .update();
    }

    @Test
    void activityGivenATenantLaterTakesTheTenantsNextSequences() {
        log.record(event("evt_first_" + tenant, "charge.succeeded", 1), BillingChange.of(tenant, "first"));
        log.record(event("evt_late1_" + tenant, "customer.created", 2), BillingChange.of(null, "late 1"));
        log.record(event("evt_late2_" + tenant, "customer.updated", 3), BillingChange.of(null, "late 2"));

        log.assignTenant(tenant, List.of("evt_late1_" + tenant, "evt_late2_" + tenant));
        log.assignTenant(tenant, List.of("evt_late1_" + tenant)); // already assigned: nothing changes

        assertThat(log.after(tenant, 0, 10))
                .extracting(ActivityEntry::seq, ActivityEntry::summary)
                .containsExactly(tuple(1L, "first"), tuple(2L, "late 1"), tuple(3L, "late 2"));
        assertThat(log.latestSeqs(List.of(tenant))).containsEntry(tenant, 3L);
    }

    @Test
    void aFailedEventKeepsItsFirstFailedItemUntilItIsProcessedThenOnlyTheProcessedOneRemains() {
        StripeEvent failing = event("evt_failing_" + tenant, "invoice.paid", 1);
        log.recordFailure(failing, tenant, "Processing failed on attempt 1; it will be retried: first");
        log.recordFailure(failing, tenant, "Processing failed on attempt 2; it will be retried: second");
        assertThat(log.after(tenant, 0, 10))
                .extracting(ActivityEntry::seq, ActivityEntry::processingStatus, ActivityEntry::summary)
                .containsExactly(tuple(1L, "failed", "Processing failed on attempt 1; it will be retried: first"));

        log.recordProcessed(
                List.of(failing),
                List.of(new ActivityRecorder.Recorded(failing, BillingChange.of(tenant, "Invoice in_1 paid"))));
        log.recordProcessed(
                List.of(failing),
                List.of(new ActivityRecorder.Recorded(failing, BillingChange.of(tenant, "replayed")))); // a replay

        assertThat(log.after(tenant, 0, 10))
                .extracting(ActivityEntry::seq, ActivityEntry::processingStatus, ActivityEntry::summary)
                .containsExactly(tuple(2L, "processed", "Invoice in_1 paid"));
    }

    private static StripeEvent event(String id, String type, long created) {
        return StripeEventParser.parse(JsonMapper.builder()
                .build()
                .readTree("{\"id\":\"%s\",\"type\":\"%s\",\"created\":%d,\"data\":{\"object\":{\"id\":\"x\"}}}"
                        .formatted(id, type, created)));
    }
}
