package com.anythingagents.billing.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * All validated settings of the service. {@link #from} reports every problem in one exception.
 * @param stripe present exactly when {@code ENABLE_BILLING=true}
 * @param eventsRedisUrl where billing activity fans out ({@code BILLING_EVENTS_REDIS_URL}, else {@code REDIS_URL})
 * @param stream how the live stream serves its clients (read whether or not it is on)
 */
public record ServiceSettings(
        boolean localMode,
        Optional<StripeSettings> stripe,
        boolean streamEnabled,
        Optional<URI> eventsRedisUrl,
        AuthSettings auth,
        PipelineSettings pipeline,
        UsageSettings usage,
        ApiSettings api,
        StreamSettings stream) {

    public boolean billingEnabled() {
        return stripe.isPresent();
    }

    /** The startup line: masked keys, plans, stream on/off and its backend. */
    public String summary() {
        String streamState = !streamEnabled
                ? "off"
                : billingEnabled()
                        ? "on backend=" + eventsRedisUrl.map(u -> "redis").orElse("none (503)")
                        : "off (needs billing)";
        return "billing=" + (billingEnabled() ? "on " + stripe.get().summary() : "off") + " stream=" + streamState
                + " mode=" + (localMode ? "local" : "standard");
    }

    /** The summary: the Redis URL may carry a password, and a record would print it. */
    @Override
    public String toString() {
        return "ServiceSettings[" + summary() + "]";
    }

    public static ServiceSettings from(Function<String, String> vars) {
        List<String> problems = new ArrayList<>();
        boolean localMode = Settings.flag(vars, "BILLING_LOCAL_MODE", false, problems);
        boolean billing = Settings.flag(vars, "ENABLE_BILLING", false, problems);
        boolean stream = Settings.flag(vars, "ENABLE_BILLING_STREAM", false, problems);
        Optional<StripeSettings> stripe = billing ? StripeSettings.parse(vars, problems) : Optional.empty();
        Optional<URI> redis = Settings.url(vars, "REDIS_URL", List.of("redis", "rediss"), problems);
        Optional<URI> eventsRedis =
                Settings.url(vars, "BILLING_EVENTS_REDIS_URL", List.of("redis", "rediss"), problems);
        String database = vars.apply("DATABASE_URL");
        if (database == null || database.isBlank()) {
            problems.add("DATABASE_URL is missing (or run in local mode, which starts an embedded PostgreSQL)");
        } else {
            try {
                DatabaseUrl.parse(database);
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        Optional<AuthSettings> auth = AuthSettings.parse(vars, problems);
        PipelineSettings pipeline = PipelineSettings.parse(vars, problems);
        UsageSettings usage = UsageSettings.parse(vars, problems);
        ApiSettings api = ApiSettings.parse(vars, problems);
        StreamSettings streamSettings = StreamSettings.parse(vars, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new ServiceSettings(
                localMode,
                stripe,
                stream,
                eventsRedis.or(() -> redis),
                auth.orElseThrow(),
                pipeline,
                usage,
                api,
                streamSettings);
    }
}
