package com.anythingagents.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.billing.MeterUsage;
import com.anythingagents.billing.config.UsageSettings;
import com.anythingagents.billing.stripe.StripeGateway;
import com.stripe.param.CustomerCreateParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Both transports against the emulator: what Stripe keeps when the same usage is sent again. */
@BillingServiceTest
class UsageDeliveryTests {

    @Autowired
    StripeGateway stripe;

    EmulatorControl emulator;

    String customer;

    String tenant;

    @BeforeEach
    void customer() throws Exception {
        emulator = EmulatorControl.local();
        tenant = "t_" + UUID.randomUUID();
        customer = emulator.stripe()
                .customers()
                .create(CustomerCreateParams.builder()
                        .putMetadata("tenant_id", tenant)
                        .build())
                .getId();
    }

    @Test
    void v1EventsSentTwiceAreCountedOnce() {
        UsageDelivery v1 = new UsageDelivery(stripe, UsageSettings.Transport.V1);
        List<ClaimedUsage> usage = List.of(usage(1, "a", 3, now()), usage(2, "b", 4, now()));

        UsageDelivery.Result first = v1.deliver(usage);
        UsageDelivery.Result again = v1.deliver(usage); // a retry after a crash: "already exists" is delivered

        assertThat(first.delivered()).hasSize(2);
        assertThat(again.delivered()).hasSize(2);
        assertThat(again.refused()).isEmpty();
        assertThat(total()).isEqualTo(7);
    }

    @Test
    void streamedEventsSentTwiceAreCountedOnce() {
        UsageDelivery stream = new UsageDelivery(stripe, UsageSettings.Transport.STREAM);
        List<ClaimedUsage> usage = List.of(usage(1, "a", 5, now()), usage(2, "b", 6, now()));

        UsageDelivery.Result first = stream.deliver(usage);
        UsageDelivery.Result again = stream.deliver(usage);

        assertThat(first.delivered()).as("%s", first.retry()).hasSize(2);
        assertThat(again.delivered()).as("%s", again.retry()).hasSize(2);

        assertThat(total()).isEqualTo(11);
    }

    @Test
    void v1SaysWhichEventStripeRefusedAndDeliversTheRest() {
        UsageDelivery v1 = new UsageDelivery(stripe, UsageSettings.Transport.V1);
        ClaimedUsage tooOld = usage(1, "old", 2, now().minus(Duration.ofDays(40)));
        ClaimedUsage fine = usage(2, "fine", 3, now());

        UsageDelivery.Result result = v1.deliver(List.of(tooOld, fine));

        assertThat(result.delivered()).containsExactly(fine);
        assertThat(result.refused())
                .extracting(UsageDelivery.Undelivered::usage)
                .containsExactly(tooOld);
        assertThat(result.refused().get(0).reason()).contains("35");
        assertThat(total()).isEqualTo(3);
    }

    @Test
    void aFailingStripeLeavesTheWholeChunkForLater() {
        emulator.fault("POST", "/v1/billing/meter_events", 500, 0, 3); // the SDK's own retries included
        UsageDelivery v1 = new UsageDelivery(stripe, UsageSettings.Transport.V1);

        UsageDelivery.Result result = v1.deliver(List.of(usage(1, "x", 1, now()), usage(2, "y", 1, now())));

        assertThat(result.delivered()).isEmpty();
        assertThat(result.retry()).hasSize(2);
        assertThat(total()).isZero();
    }

    @Test
    void identifiersAreThePerTenantKeysHashedSoTenantsNeverCollide() {
        assertThat(MeterEventIdentifier.of("t1", "k")).isEqualTo(MeterEventIdentifier.of("t1", "k"));
        assertThat(MeterEventIdentifier.of("t1", "k")).isNotEqualTo(MeterEventIdentifier.of("t2", "k"));
        assertThat(MeterEventIdentifier.of("ab", "c")).isNotEqualTo(MeterEventIdentifier.of("a", "bc"));
        assertThat(MeterEventIdentifier.of("t".repeat(255), "k".repeat(255))).hasSizeLessThanOrEqualTo(100);
    }

    private Instant now() {
        return emulator.emulator().now();
    }

    private ClaimedUsage usage(long id, String key, long quantity, Instant at) {
        return new ClaimedUsage(
                id, tenant, "agent_runs", quantity, at, key, customer, "agent_run", 1, Optional.empty());
    }

    private long total() {
        return MeterUsage.total(emulator.stripe(), now(), "agent_run", customer);
    }
}
