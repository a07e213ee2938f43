package com.anythingagents.billing.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.events.BillingChange;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The live stream's ordering rule in the database: per tenant, the sequence is handed out in commit
 * order (the second writer waits for the first), with no gaps left by rollbacks.
 */
@BillingServiceTest
class ActivitySequenceTests {

    @Autowired
    BillingActivity activity;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    final String tenant = "sequence-" + UUID.randomUUID();

    @AfterEach
    void cleanUp() {
        jdbc.sql("delete from billing_activity where tenant_id = ?")
                .param(tenant)
                .update();
        jdbc.sql("delete from billing_activity_cursor where tenant_id = ?")
                .param(tenant)
                .update();
    }

    private long record(String summary) {
        return activity.record(tenant, "test.tick", BillingChange.of(tenant, summary))
                .seq();
    }

    @Test
    void aSecondWriterOfTheTenantWaitsForTheFirstToCommit() throws Exception {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        CountDownLatch firstRecorded = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        long[] firstBackend = new long[1];
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> transaction.execute(status -> {
            firstBackend[0] =
                    jdbc.sql("select pg_backend_pid()").query(Long.class).single();
            long seq = record("first");
            firstRecorded.countDown();
            awaitLatch(commitFirst);
            return seq;
        }));
        assertThat(firstRecorded.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Long> second =
                CompletableFuture.supplyAsync(() -> transaction.execute(status -> record("second")));

        // the second writer is blocked on the first one's lock of the tenant's cursor row
        await().until(() -> jdbc.sql("select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))")
                        .param(firstBackend[0])
                        .query(Long.class)
                        .single()
                == 1);
        assertThat(second).isNotDone();
        commitFirst.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void aRolledBackItemLeavesNoGap() {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> {
            assertThat(record("rolled back")).isEqualTo(1);
            status.setRollbackOnly();
        });

        assertThat(record("kept")).isEqualTo(1);
        assertThat(record("next")).isEqualTo(2);
        assertThat(activity.after(tenant, 0, 10))
                .extracting(ActivityEntry::summary)
                .containsExactly("kept", "next");
        assertThat(activity.latestSeqs(java.util.List.of(tenant, "nobody-" + tenant)))
                .containsEntry(tenant, 2L)
                .containsEntry("nobody-" + tenant, 0L);
    }

    @Test
    void recordsWhatTheCallerSaysAsProcessedOrFailed() {
        ActivityEntry reported =
                activity.record(tenant, "usage.reported", BillingChange.of(tenant, "120 agent runs reported"));
        ActivityEntry failed =
                activity.recordFailure(tenant, "usage.failed", BillingChange.of(null, "Stripe refused 5 agent runs"));

        assertThat(reported.seq()).isEqualTo(1);
        assertThat(reported.processingStatus()).isEqualTo("processed");
        assertThat(reported.stripeEventId()).isNull();
        assertThat(failed.seq()).isEqualTo(2);
        assertThat(failed.processingStatus()).isEqualTo("failed");
        assertThat(failed.tenantId()).isEqualTo(tenant);
    }

    @Test
    void refusesActivityWithoutTenantForAnotherTenantOrWithAMalformedType() {
        BillingChange change = BillingChange.of(tenant, "s");

        assertThatThrownBy(() -> activity.record(" ", "usage.reported", change))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> activity.record("other-" + tenant, "usage.reported", change))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> activity.record(tenant, "Usage Reported\n", change))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> activity.record(tenant, "usage", change)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
