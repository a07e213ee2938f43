package com.anythingagents.billing.usage;

import com.anythingagents.billing.stripe.StripeClock;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * What operators do with the usage outbox ({@code replay-usage}): find failed reports and put them
 * back in the outbox. A re-queued record keeps its tenant and idempotency key, so its meter event
 * keeps its identifier and Stripe counts it once however often it is sent.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
public class UsageOperations {

    private final UsageRecords records;

    private final StripeClock stripeClock;

    private final Clock clock;

    UsageOperations(UsageRecords records, StripeClock stripeClock, Clock clock) {
        this.records = records;
        this.stripeClock = stripeClock;
        this.clock = clock;
    }

    public Optional<StoredUsage> find(long id) {
        return records.stored(id);
    }

    /** Failed records Stripe's window still allows, oldest first, of one tenant or of all. */
    public List<StoredUsage> failed(Optional<String> tenantId, int limit) {
        return records.failed(tenantId, windowOpensAfter(), limit);
    }

    /** Whether the outbox would still send the usage: its timestamp is inside Stripe's window (less a margin). */
    public boolean windowOpen(StoredUsage usage) {
        return !usage.occurredAt().isBefore(windowOpensAfter());
    }

    /**
     * Puts these records back in the outbox, due now with their attempts reset, if they are still
     * failed and inside Stripe's window (outside it Stripe refuses them; they stay failed).
     *
     * @return the ids re-queued
     */
    public List<Long> requeue(Collection<Long> ids) {
        return records.requeue(List.copyOf(ids), windowOpensAfter(), clock.instant());
    }

    private Instant windowOpensAfter() {
        return UsageWindow.sendableAfter(stripeClock.instant());
    }
}
