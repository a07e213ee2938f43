package com.anythingagents.billing.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Metered usage and its outbox (defaults in brackets):
 * {@code BILLING_USAGE_METERS} feature key → Billing Meter event name, as {@code agent_runs=agent_run,tokens=llm_tokens}
 * or a JSON object [none: every usage report is an unknown feature];
 * {@code BILLING_USAGE_TRANSPORT} {@code stream} (v2 meter event stream, batches of up to 100) or {@code v1}
 * (one {@code POST /v1/billing/meter_events} per record) [stream];
 * {@code BILLING_USAGE_BATCH_SIZE} records claimed per worker turn [500];
 * {@code BILLING_USAGE_WORKER_THREADS} [1];
 * {@code BILLING_USAGE_MAX_ATTEMPTS} an alarm, not a limit: from this many failed deliveries of a record
 * on, each failure is logged as an ERROR and counted in {@code billing_usage_overdue_total} [20] (the
 * record stays pending: only Stripe's refusal, or the close of Stripe's 35-day window, fails it);
 * {@code BILLING_USAGE_RETRY_BASE_SECONDS} [5]; {@code BILLING_USAGE_RETRY_CAP_SECONDS} [900].
 */
public record UsageSettings(
        Map<String, String> meters,
        Transport transport,
        int batchSize,
        int workerThreads,
        int alertAfterAttempts,
        Duration retryBase,
        Duration retryCap) {

    /** How usage reaches Stripe. */
    public enum Transport {
        /** {@code POST /v2/billing/meter_event_stream} with a meter event session token, up to 100 events a call. */
        STREAM,
        /** {@code POST /v1/billing/meter_events}, one call per record. */
        V1
    }

    // Stripe's meter event names and our feature keys: one token, no separators of the pair forms
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:\\-]{1,100}");

    private static final NamedPairs FORM =
            new NamedPairs("BILLING_USAGE_METERS", "feature key", "meter event name", "feature=meter_event_name");

    public UsageSettings {
        meters = Collections.unmodifiableMap(new LinkedHashMap<>(meters));
    }

    /** The meter event name of a feature key, if it is configured. */
    public Optional<String> meterEventName(String featureKey) {
        return Optional.ofNullable(meters.get(featureKey));
    }

    static UsageSettings parse(Function<String, String> vars, List<String> problems) {
        Map<String, String> meters = Settings.text(vars, "BILLING_USAGE_METERS")
                .map(text -> FORM.parse(text, problems, (entry, name) -> validName(entry, name, problems)))
                .orElse(Map.of());
        meters.keySet().stream()
                .filter(feature -> !NAME.matcher(feature).matches())
                .forEach(feature -> problems.add("BILLING_USAGE_METERS feature key \"" + feature
                        + "\" must be 1 to 100 letters, digits or _ . : -"));
        Transport transport = transport(vars, problems);
        UsageSettings settings = new UsageSettings(
                meters,
                transport,
                Settings.positive(vars, "BILLING_USAGE_BATCH_SIZE", 500, problems),
                Settings.positive(vars, "BILLING_USAGE_WORKER_THREADS", 1, problems),
                Settings.positive(vars, "BILLING_USAGE_MAX_ATTEMPTS", 20, problems),
                Duration.ofSeconds(Settings.positive(vars, "BILLING_USAGE_RETRY_BASE_SECONDS", 5, problems)),
                Duration.ofSeconds(Settings.positive(vars, "BILLING_USAGE_RETRY_CAP_SECONDS", 900, problems)));
        if (settings.retryCap.compareTo(settings.retryBase) < 0) {
            problems.add("BILLING_USAGE_RETRY_CAP_SECONDS must not be below BILLING_USAGE_RETRY_BASE_SECONDS");
        }
        return settings;
    }

    private static boolean validName(String entry, String name, List<String> problems) {
        if (!NAME.matcher(name).matches()) {
            problems.add("BILLING_USAGE_METERS entry " + entry
                    + " has a meter event name that is not 1 to 100 letters, digits or _ . : -");
            return false;
        }
        return true;
    }

    private static Transport transport(Function<String, String> vars, List<String> problems) {
        Optional<String> value = Settings.text(vars, "BILLING_USAGE_TRANSPORT");
        if (value.isEmpty()) {
            return Transport.STREAM;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "stream", "v2" -> Transport.STREAM;
            case "v1" -> Transport.V1;
            default -> {
                problems.add("BILLING_USAGE_TRANSPORT must be stream or v1 (got \"" + value.get() + "\")");
                yield Transport.STREAM;
            }
        };
    }
}
