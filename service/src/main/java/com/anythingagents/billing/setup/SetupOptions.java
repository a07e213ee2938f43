package com.anythingagents.billing.setup;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the command line decided before the assistant runs; anything absent is asked for (in a
 * terminal) or taken from the current values, then from defaults.
 * @param stripeCli the Stripe CLI to use, empty to do without it
 * @param prices plan code → existing price id (map mode)
 * @param plans plan code → monthly amount in minor units (create mode)
 * @param meters feature key → {@code event_name:unit amount in minor units}
 * @param devUp start the development databases ({@code make dev-up}) and use them
 */
public record SetupOptions(
        Path envFile,
        Optional<String> secretKey,
        boolean live,
        Optional<URI> apiBase,
        boolean offline,
        Optional<String> webhookSecret,
        Optional<String> webhookUrl,
        Optional<String> forwardTo,
        Optional<String> stripeCli,
        Map<String, String> prices,
        Map<String, Long> plans,
        Optional<String> currency,
        Map<String, String> meters,
        boolean noMeters,
        boolean devUp) {

    public SetupOptions {
        prices = new LinkedHashMap<>(prices);
        plans = new LinkedHashMap<>(plans);
        meters = new LinkedHashMap<>(meters);
    }

    /** Plans and features of local mode, so a fresh setup gives the dashboard what it shows. */
    static final Map<String, Long> DEFAULT_PLANS = orderedPlans();

    static final String DEFAULT_METERS = "agent_runs=agent_run:2";

    static final String DEFAULT_CURRENCY = "usd";

    private static Map<String, Long> orderedPlans() {
        Map<String, Long> plans = new LinkedHashMap<>();
        plans.put("starter", 2900L);
        plans.put("pro", 9900L);
        return plans;
    }

    static List<String> secretNames() {
        return List.of("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET");
    }
}
