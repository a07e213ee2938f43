package com.anythingagents.billing.usage;

import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.config.UsageSettings;
import com.anythingagents.billing.stripe.StripeClock;
import com.anythingagents.billing.subscriptions.Subscription;
import com.anythingagents.billing.subscriptions.TenantSubscriptions;
import com.anythingagents.billing.web.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** A tenant's usage over a period: the subscription's current one unless the caller names one. */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class UsagePeriods {

    /** Longer ranges are reports, not a dashboard read. */
    static final Duration MAX_RANGE = Duration.ofDays(400);

    private final UsageTotals totals;

    private final TenantSubscriptions subscriptions;

    private final UsageSettings settings;

    private final StripeClock clock;

    UsagePeriods(UsageTotals totals, TenantSubscriptions subscriptions, ServiceSettings settings, StripeClock clock) {
        this.totals = totals;
        this.subscriptions = subscriptions;
        this.settings = settings.usage();
        this.clock = clock;
    }

    record UsageSummary(Instant periodStart, Instant periodEnd, List<FeatureUsage> features, List<DailyUsage> daily) {}

    record FeatureUsage(String featureKey, String meterEventName, long reported, long pending, long failed) {}

    record DailyUsage(String featureKey, LocalDate day, long quantity) {}

    UsageSummary summary(String tenantId, Optional<String> from, Optional<String> to) {
        Window period = period(tenantId, from, to);
        Map<String, FeatureUsage> features = new LinkedHashMap<>();
        settings.meters().forEach((feature, event) -> features.put(feature, new FeatureUsage(feature, event, 0, 0, 0)));
        for (UsageTotals.FeatureTotal t : totals.byFeature(tenantId, period.start(), period.end())) {
            features.put(
                    t.featureKey(),
                    new FeatureUsage(
                            t.featureKey(),
                            settings.meterEventName(t.featureKey()).orElse(null),
                            t.reported(),
                            t.pending(),
                            t.failed()));
        }
        List<DailyUsage> daily = totals.daily(tenantId, period.start(), period.end()).stream()
                .map(d -> new DailyUsage(d.featureKey(), d.day(), d.quantity()))
                .toList();
        return new UsageSummary(period.start(), period.end(), new ArrayList<>(features.values()), daily);
    }

    private record Window(Instant start, Instant end) {}

    private Window period(String tenantId, Optional<String> from, Optional<String> to) {
        if (from.isEmpty() && to.isEmpty()) {
            return subscriptions
                    .find(tenantId)
                    .filter(s -> s.currentPeriodStart() != null && s.currentPeriodEnd() != null)
                    .map(UsagePeriods::current)
                    .orElseGet(this::currentMonth);
        }
        Instant start =
                from.map(v -> parse("from", v)).orElseGet(() -> currentMonth().start());
        Instant end = to.map(v -> parse("to", v)).orElseGet(clock::instant);
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "bad_request",
                    "from must be before to, at most " + MAX_RANGE.toDays() + " days apart");
        }
        return new Window(start, end);
    }

    private static Window current(Subscription s) {
        return new Window(s.currentPeriodStart(), s.currentPeriodEnd());
    }

    private Window currentMonth() {
        LocalDate first = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1);
        return new Window(
                first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** An ISO-8601 date-time with offset, or a date (midnight UTC). */
    private static Instant parse(String name, String value) {
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException ex) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "bad_request",
                    name + " must be an ISO-8601 date (2026-12-01) or date-time (2026-12-01T10:00:00Z)");
        }
    }
}
