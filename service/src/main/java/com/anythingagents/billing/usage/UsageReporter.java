package com.anythingagents.billing.usage;

import com.anythingagents.billing.background.RetryPolicy;
import com.anythingagents.billing.background.WorkerLoop;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.config.UsageSettings;
import com.anythingagents.billing.stripe.StripeClock;
import com.anythingagents.billing.stripe.StripeGateway;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The usage outbox worker (the event worker's shape): claims due records with
 * {@code FOR UPDATE SKIP LOCKED} and a lease (the attempt counted at the claim), sends them to
 * Stripe outside any transaction, chunk by chunk, then records each chunk's outcome in one
 * transaction with its activity: reported; back to pending with capped backoff and jitter; or
 * failed. Acknowledged usage is never given up while Stripe could still take it: a transient
 * failure (5xx, 429, network, a revoked key) is retried for as long as Stripe's 35-day window for
 * the usage's timestamp is open, however many attempts that takes; past
 * {@code BILLING_USAGE_MAX_ATTEMPTS} each further failure only raises an ERROR and
 * {@code billing_usage_overdue_total}. A record fails only when Stripe refuses it (an invalid
 * request, which sending again cannot fix) or when that window has closed (Stripe would refuse it,
 * and the v2 stream would drop it unseen after a 2xx). Any number of instances cooperate through the lease.
 * A lost lease only means another worker sends the same events again, which Stripe dedupes by
 * identifier. With {@code billing.workers.enabled=false} nothing runs and tests call
 * {@link #pollOnce(Instant)}.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class UsageReporter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageReporter.class);

    static final int MAX_ERROR_LENGTH = 2000;

    static final String WINDOW_CLOSED = "Stripe's meter event window closed before this usage was delivered: Stripe"
            + " refuses meter events whose timestamp is more than " + UsageWindow.STRIPE_MAX_AGE.toDays()
            + " days old (by Stripe's clock; this service stops " + UsageWindow.SEND_MARGIN.toHours()
            + " hour before), so it was not sent and will not be billed";

    static final String OUTCOME_UNKNOWN = "A send of this usage may have reached Stripe without its answer reaching"
            + " us, more than " + UsageWindow.IDENTIFIER_MEMORY.toHours() + " hours ago; Stripe deduplicates meter"
            + " event identifiers for at least 24 hours only, so sending it again could count it twice. Not sent:"
            + " check Stripe's meter event summaries and re-queue it (make stripe-replay-usage) only if Stripe"
            + " does not have it";

    private final UsageRecords records;

    private final UsageDelivery delivery;

    private final UsageActivity activity;

    private final UsageMetrics metrics;

    private final TransactionTemplate transaction;

    private final RetryPolicy retries;

    private final UsageSettings settings;

    private final Duration lease;

    private final Clock clock;

    private final StripeClock stripeClock;

    private final boolean enabled;

    private final String workerId = host() + ":" + UUID.randomUUID().toString().substring(0, 8);

    private final List<WorkerLoop> loops = new ArrayList<>();

    UsageReporter(
            UsageRecords records,
            StripeGateway stripe,
            UsageActivity activity,
            UsageMetrics metrics,
            PlatformTransactionManager transactions,
            ServiceSettings settings,
            Clock clock,
            StripeClock stripeClock,
            Environment environment) {
        this.records = records;
        this.settings = settings.usage();
        this.delivery = new UsageDelivery(stripe, this.settings.transport());
        this.activity = activity;
        this.metrics = metrics;
        this.transaction = new TransactionTemplate(transactions);
        // no attempt is the last: Stripe's window, not a count, ends the retries of a transient failure
        this.retries = new RetryPolicy(Integer.MAX_VALUE, this.settings.retryBase(), this.settings.retryCap());
        this.lease = settings.pipeline().lease();
        this.clock = clock;
        this.stripeClock = stripeClock;
        this.enabled = environment.getProperty("billing.workers.enabled", Boolean.class, true);
        for (int i = 1; i <= this.settings.workerThreads(); i++) {
            loops.add(new WorkerLoop(
                    "usage-outbox-" + i, settings.pipeline().pollInterval(), this::pollOnce, metrics.loopErrors()));
        }
    }

    /** Usage was stored: deliver it now rather than at the next poll. */
    void wake() {
        loops.forEach(WorkerLoop::wake);
    }

    boolean pollOnce() {
        return pollOnce(clock.instant());
    }

    /** Delivers one batch of due records as of {@code now}; true when the batch was full (more may be due). */
    boolean pollOnce(Instant now) {
        UsageRecords.Lease claim = new UsageRecords.Lease(workerId, now.plus(lease));
        List<ClaimedUsage> claimed = records.claim(claim, now, settings.batchSize());
        for (int from = 0; from < claimed.size(); from += UsageDelivery.maxChunk()) {
            List<ClaimedUsage> chunk = claimed.subList(from, Math.min(claimed.size(), from + UsageDelivery.maxChunk()));
            List<UsageDelivery.Undelivered> unusable = new ArrayList<>();
            List<ClaimedUsage> usable = new ArrayList<>();
            // Stripe judges the window by its clock (the emulator's in local mode)
            Instant windowOpensAfter = UsageWindow.sendableAfter(stripeClock.instant());
            for (ClaimedUsage usage : chunk) {
                if (usage.customerId() == null || usage.meterEventName() == null) {
                    // stored before the outbox knew its customer and meter (schema V1): nothing to send
                    unusable.add(new UsageDelivery.Undelivered(usage, "no Stripe customer or meter recorded"));
                } else if (usage.occurredAt().isBefore(windowOpensAfter)) {
                    unusable.add(new UsageDelivery.Undelivered(usage, WINDOW_CLOSED));
                } else if (usage.unknownSince()
                        .filter(since -> !now.isBefore(since.plus(UsageWindow.IDENTIFIER_MEMORY)))
                        .isPresent()) {
                    unusable.add(new UsageDelivery.Undelivered(usage, OUTCOME_UNKNOWN));
                } else {
                    usable.add(usage);
                }
            }
            UsageDelivery.Result result = delivery.deliver(usable);
            result.refused().addAll(unusable);
            record(result, claim);
        }
        return claimed.size() == settings.batchSize();
    }

    private void record(UsageDelivery.Result result, UsageRecords.Lease claim) {
        transaction.executeWithoutResult(status -> {
            Instant now = clock.instant();
            if (!result.delivered().isEmpty()) {
                List<UsageRecords.Marked> marked = records.markReported(ids(result.delivered()), claim, now);
                lost(result.delivered().size(), marked.size());
                activity.reported(marked);
                metrics.reported(marked.size());
            }
            byReason(result.refused()).forEach((reason, usages) -> fail(usages, reason, claim, now));
            Set<Long> maybeSent = result.retry().stream()
                    .filter(UsageDelivery.Undelivered::maybeSent)
                    .map(u -> u.usage().id())
                    .collect(Collectors.toSet());
            byReason(result.retry()).forEach((reason, usages) -> retry(usages, maybeSent, reason, claim, now));
        });
    }

    private void retry(
            List<ClaimedUsage> usages, Set<Long> maybeSent, String reason, UsageRecords.Lease claim, Instant now) {
        Map<Integer, List<ClaimedUsage>> byAttempts =
                usages.stream().collect(Collectors.groupingBy(ClaimedUsage::attempts));
        byAttempts.forEach((attempts, group) -> {
            Duration delay = retries.delayAfter(attempts, ThreadLocalRandom.current())
                    .orElseThrow(); // never empty: no attempt is the last
            int changed = records.markRetry(ids(group), maybeSent, claim, truncate(reason), now, now.plus(delay));
            lost(group.size(), changed);
            metrics.retried(changed);
            if (attempts >= settings.alertAfterAttempts()) {
                metrics.overdue(changed);
                log.error(
                        "{} usage record(s) still not delivered after {} attempts (BILLING_USAGE_MAX_ATTEMPTS={});"
                                + " kept pending, next try in {}, until Stripe's 35-day window for their timestamps"
                                + " closes: {}",
                        group.size(),
                        attempts,
                        settings.alertAfterAttempts(),
                        delay,
                        reason);
            } else {
                log.warn(
                        "{} usage record(s) not delivered on attempt {}; next in {}: {}",
                        group.size(),
                        attempts,
                        delay,
                        reason);
            }
        });
    }

    private void fail(List<ClaimedUsage> usages, String reason, UsageRecords.Lease claim, Instant now) {
        List<UsageRecords.Marked> marked = records.markFailed(ids(usages), claim, truncate(reason));
        lost(usages.size(), marked.size());
        activity.failed(marked, reason);
        metrics.failed(marked.size());
        log.error("{} usage record(s) will not be billed: {}", marked.size(), reason);
    }

    private static Map<String, List<ClaimedUsage>> byReason(List<UsageDelivery.Undelivered> undelivered) {
        return undelivered.stream()
                .collect(Collectors.groupingBy(
                        UsageDelivery.Undelivered::reason,
                        java.util.LinkedHashMap::new,
                        Collectors.mapping(UsageDelivery.Undelivered::usage, Collectors.toList())));
    }

    // 0 rows for a record: another worker took it over after our lease ran out; it delivers it again
    // (same identifier, so Stripe keeps one event). More rows than records would be a bug.
    private static void lost(int expected, int changed) {
        if (changed > expected) {
            throw new IllegalStateException("marked " + changed + " usage records for " + expected);
        }
        if (changed < expected) {
            log.info(
                    "{} usage record(s) were taken over by another worker; their marks were skipped",
                    expected - changed);
        }
    }

    private static List<Long> ids(List<ClaimedUsage> usages) {
        return usages.stream().map(ClaimedUsage::id).toList();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    @Override
    public void start() {
        if (enabled) {
            log.info(
                    "Usage outbox: {} feature(s) {} through {}",
                    settings.meters().size(),
                    settings.meters(),
                    settings.transport() == UsageSettings.Transport.STREAM
                            ? "the v2 meter event stream"
                            : "v1 meter events");
            loops.forEach(WorkerLoop::start);
        }
    }

    @Override
    public void stop() {
        WorkerLoop.stopAll(loops);
    }

    @Override
    public boolean isRunning() {
        return loops.stream().anyMatch(WorkerLoop::running);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException ex) {
            return "unknown-host";
        }
    }
}
