package com.anythingagents.billing.usage;

import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.config.UsageSettings;
import com.anythingagents.billing.customers.CustomerDirectory;
import com.anythingagents.billing.stripe.StripeClock;
import com.anythingagents.billing.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Accepts a usage report (DESIGN §1.5): a report whose key the tenant used already is answered
 * with that record as it stands now (the same key with another report is a conflict), before
 * anything else is checked; a new one is checked against Stripe's rules, written to the outbox
 * (committed before the 202), and the reporter woken. Stripe is never called here.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class UsageIntake {

    /** Far above any single report of runs or tokens; a larger one is a bug of the caller. */
    static final long MAX_QUANTITY = 1_000_000_000L;

    static final int MAX_KEY_LENGTH = 255;

    private final UsageRecords records;

    private final CustomerDirectory customers;

    private final UsageSettings settings;

    private final UsageReporter reporter;

    private final UsageMetrics metrics;

    private final StripeClock stripeClock;

    private final Clock clock;

    UsageIntake(
            UsageRecords records,
            CustomerDirectory customers,
            ServiceSettings settings,
            UsageReporter reporter,
            UsageMetrics metrics,
            StripeClock stripeClock,
            Clock clock) {
        this.stripeClock = stripeClock;
        this.metrics = metrics;
        this.records = records;
        this.customers = customers;
        this.settings = settings.usage();
        this.reporter = reporter;
        this.clock = clock;
    }

    /** A report as received: the quantity is checked here, so it may be anything the JSON held. */
    record Report(String featureKey, Optional<Long> quantity, Optional<Instant> timestamp, String idempotencyKey) {}

    /** The record now stored for the report's key, and whether this report created it. */
    record Accepted(UsageRecord record, boolean created) {}

    Accepted accept(String tenantId, Report report) {
        String key = report.idempotencyKey();
        // no control characters: PostgreSQL's text refuses NUL, and logs and tables should not carry them
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || key.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_idempotency_key",
                    "idempotency_key must be 1 to " + MAX_KEY_LENGTH + " characters, none of them control characters");
        }
        // A retry of stored usage gets its stored answer whatever changed since: the feature may have
        // left the catalogue, the timestamp aged past Stripe's window, the customer gone. Checked
        // again today, it would be a 400 for usage that is stored and will be billed.
        Optional<UsageRecord> stored = records.find(tenantId, key);
        if (stored.isPresent()) {
            return repeat(stored.get(), report);
        }
        String eventName = settings.meterEventName(report.featureKey())
                .orElseThrow(() -> new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "unknown_feature",
                        "Unknown feature_key \"" + report.featureKey() + "\"",
                        Map.of("known_features", settings.meters().keySet())));
        long quantity = report.quantity()
                .filter(q -> q >= 1 && q <= MAX_QUANTITY)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "invalid_quantity",
                        "quantity must be a whole number from 1 to " + MAX_QUANTITY));
        // Stripe judges the window by its own clock (the emulator's in local mode, which may run ahead)
        Instant stripeNow = stripeClock.instant();
        Instant occurredAt = report.timestamp().orElse(stripeNow);
        if (occurredAt.isBefore(UsageWindow.acceptedAfter(stripeNow))
                || occurredAt.isAfter(stripeNow.plus(UsageWindow.MAX_AHEAD))) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_timestamp",
                    "timestamp must be within the last " + UsageWindow.ACCEPT_MAX_AGE.toDays() + " days and at most "
                            + UsageWindow.MAX_AHEAD.toMinutes()
                            + " minutes ahead (Stripe's meter event window, less a day to deliver it)");
        }
        String customer = customers.currentCustomer(tenantId).orElseThrow(ApiException::noCustomer);
        // due now by this service's clock, which the outbox worker claims by
        Optional<UsageRecord> inserted = records.insert(
                tenantId, report.featureKey(), quantity, occurredAt, key, customer, eventName, clock.instant());
        if (inserted.isPresent()) {
            metrics.accepted();
            reporter.wake();
            return new Accepted(inserted.get(), true);
        }
        // stored by a concurrent request with the same key between our look-up and our insert
        UsageRecord existing = records.find(tenantId, key)
                .orElseThrow(() -> new IllegalStateException("usage key " + key + " conflicted but is not stored"));
        return repeat(existing, report);
    }

    /**
     * The stored answer for a repeated key: the same report (feature, quantity, and the timestamp to
     * the second when the repeat gives one) gets the record as it stands now; any other report with
     * that key, an unparseable quantity included, is a conflict.
     */
    private static Accepted repeat(UsageRecord existing, Report report) {
        boolean same = existing.featureKey().equals(report.featureKey())
                && report.quantity().map(q -> q == existing.quantity()).orElse(false)
                && report.timestamp()
                        .map(t -> sameSecond(t, existing.occurredAt()))
                        .orElse(true);
        if (!same) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "idempotency_conflict",
                    "idempotency_key \"" + report.idempotencyKey() + "\" was used for another usage report");
        }
        return new Accepted(existing, false);
    }

    // Postgres keeps microseconds and Stripe seconds: equal to the second is the same report
    private static boolean sameSecond(Instant a, Instant b) {
        return a.getEpochSecond() == b.getEpochSecond();
    }
}
