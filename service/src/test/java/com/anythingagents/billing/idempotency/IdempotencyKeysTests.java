package com.anythingagents.billing.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Taking a key in PostgreSQL when the row in the way is released at the worst moment. */
@BillingServiceTest
class IdempotencyKeysTests {

    @Autowired
    JdbcClient jdbc;

    String tenant;

    Instant now;

    @BeforeEach
    void setUp() {
        tenant = "t_" + UUID.randomUUID();
        now = Instant.now();
    }

    @Test
    void keyReleasedBetweenTheConflictAndTheReReadIsTakenForRealNotReportedTakenWithoutARow() {
        IdempotencyKeys first = new IdempotencyKeys(jdbc);
        assertThat(take(first, "k", "hash-1")).isInstanceOf(IdempotencyKeys.Taken.class);
        // the first request ends with a "try again" answer and frees the key right after our insert
        // ran into its row, before we read that row
        IdempotencyKeys racing = releasingBeforeReads(1, "hash-1");

        IdempotencyKeys.Held held = take(racing, "k", "hash-1");

        assertThat(held).isInstanceOf(IdempotencyKeys.Taken.class);
        assertThat(rowStatus("k")).contains("in_progress"); // we hold it: a third request waits for us
        assertThat(take(first, "k", "hash-1")).isInstanceOf(IdempotencyKeys.Running.class);
    }

    @Test
    void keyFreedAndTakenAgainUnderEveryTakeIsReportedRunningSoTheCallerPolls() {
        IdempotencyKeys other = new IdempotencyKeys(jdbc);
        assertThat(take(other, "k", "hash-1")).isInstanceOf(IdempotencyKeys.Taken.class);
        AtomicInteger reads = new AtomicInteger();
        IdempotencyKeys unlucky = new IdempotencyKeys(jdbc) {
            @Override
            Optional<Held> find(String tenantId, String key, String hash) {
                reads.incrementAndGet();
                release(tenantId, key, hash); // the holder frees the key just before our read ...
                Optional<Held> seen = super.find(tenantId, key, hash);
                IdempotencyKeysTests.this.take(
                        other, key, hash); // ... and another request takes it just before our next insert
                return seen;
            }
        };

        assertThat(take(unlucky, "k", "hash-1")).isInstanceOf(IdempotencyKeys.Running.class);
        assertThat(reads).hasValue(IdempotencyKeys.TAKE_ATTEMPTS);
    }

    private IdempotencyKeys releasingBeforeReads(int times, String hash) {
        AtomicInteger left = new AtomicInteger(times);
        return new IdempotencyKeys(jdbc) {
            @Override
            Optional<Held> find(String tenantId, String key, String h) {
                if (left.getAndDecrement() > 0) {
                    assertThat(release(tenantId, key, hash)).isEqualTo(1);
                }
                return super.find(tenantId, key, h);
            }
        };
    }

    private IdempotencyKeys.Held take(IdempotencyKeys keys, String key, String hash) {
        return keys.take(tenant, key, hash, now, now.plus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
    }

    private Optional<String> rowStatus(String key) {
        return jdbc.sql("select status from api_idempotency_keys where tenant_id = ? and idempotency_key = ?")
                .params(tenant, key)
                .query(String.class)
                .optional();
    }
}
