package com.anythingagents.billing.setup;

import com.anythingagents.billing.doctor.Finding;
import com.anythingagents.billing.doctor.StripeAccount;
import com.anythingagents.billing.stripe.StripeFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Plans and metered features: existing price ids mapped (and checked), or products, monthly prices
 * and billing meters found or created ({@link Provisioning}); the price map and the usage meter
 * mapping are what this step writes.
 */
final class CatalogStep {

    private CatalogStep() {}

    /** @return false when the plans cannot be configured as asked */
    static boolean run(SetupRun run) {
        run.heading("Plans and metered usage");
        Optional<String> currentMap = run.current("STRIPE_PRODUCT_PRICE_MAP");
        if (!run.options.prices().isEmpty()) {
            return map(run, run.options.prices());
        }
        if (run.options.plans().isEmpty() && currentMap.isPresent()) {
            boolean keep = run.prompts.confirm("Keep the configured plans (" + currentMap.get() + ")?", true);
            if (keep) {
                return map(run, pairs(currentMap.get()));
            }
        }
        Map<String, Long> plans = run.options.plans();
        if (plans.isEmpty() && run.prompts.interactive()) {
            String choice = run.prompts.ask(
                    "Create products and monthly prices in Stripe (create), or map existing price ids (map)?",
                    "create");
            if (choice.toLowerCase(Locale.ROOT).startsWith("m")) {
                return map(run, pairs(run.prompts.ask("Plan price ids (plan=price_…,plan2=price_…)", "")));
            }
            plans = amounts(run.prompts.ask(
                    "Plans and their monthly amounts in minor units (cents)", join(SetupOptions.DEFAULT_PLANS)));
        }
        if (plans.isEmpty()) {
            plans = SetupOptions.DEFAULT_PLANS;
        }
        return create(run, plans);
    }

    private static boolean create(SetupRun run, Map<String, Long> plans) {
        String currency = run.options
                .currency()
                .orElseGet(() -> run.prompts.ask("Currency (ISO code)", SetupOptions.DEFAULT_CURRENCY));
        List<Provisioning.Feature> features = features(run);
        if (run.stripe.isEmpty()) {
            run.report(Finding.error(
                    "plans",
                    "creating products and prices needs Stripe, which did not answer (or --offline)",
                    "map existing prices with --prices plan=price_…, or run again online"));
            return false;
        }
        List<Provisioning.Plan> wanted = new ArrayList<>();
        plans.forEach((code, amount) -> wanted.add(new Provisioning.Plan(code, amount)));
        Provisioning.Result result;
        try {
            result = new Provisioning(run.stripe.get(), currency).provision(wanted, features);
        } catch (StripeFailure ex) {
            run.report(Finding.error(
                    "plans",
                    "Stripe refused: " + ex.getMessage(),
                    "check the key's permissions (products, prices, meters: write)"));
            return false;
        }
        result.found().forEach(f -> run.report(Finding.ok("found", f)));
        result.created().forEach(c -> run.report(Finding.ok("created", c)));
        result.warnings().forEach(w -> run.report(Finding.warning("plans", w, "see the message")));
        if (result.created().isEmpty()) {
            run.report(Finding.ok("plans", "nothing created: every product, price and meter exists already"));
        }
        run.changes.put("STRIPE_PRODUCT_PRICE_MAP", join(result.priceByPlan()));
        if (!result.meterByFeature().isEmpty()) {
            run.changes.put("BILLING_USAGE_METERS", join(result.meterByFeature()));
        }
        return true;
    }

    private static boolean map(SetupRun run, Map<String, String> prices) {
        if (prices.isEmpty()) {
            run.report(Finding.error("plans", "no plan=price_… pairs given", "e.g. --prices starter=price_1Q…"));
            return false;
        }
        if (run.stripe.isPresent()) {
            List<Finding> checks = new StripeAccount(run.stripe.get(), run.secretKey, Optional.empty()).prices(prices);
            checks.forEach(run::report);
            if (checks.stream().anyMatch(Finding::isError)) {
                return false;
            }
        } else {
            run.report(Finding.info("plans", "price ids not checked against Stripe"));
        }
        run.changes.put("STRIPE_PRODUCT_PRICE_MAP", join(prices));
        Optional<String> currentMeters = run.current("BILLING_USAGE_METERS");
        if (!run.options.meters().isEmpty() || (!run.options.noMeters() && currentMeters.isEmpty())) {
            return meters(run);
        }
        if (currentMeters.isPresent() && !run.options.noMeters() && run.stripe.isPresent()) {
            // the configured features are kept: their meters must exist (a price is the account's choice)
            List<Finding> checks = new StripeAccount(run.stripe.get(), run.secretKey, Optional.empty())
                    .meters(pairs(currentMeters.get()));
            checks.forEach(run::report);
            if (checks.stream().anyMatch(Finding::isError)) {
                return false;
            }
        }
        run.report(Finding.ok("plans", "nothing created: the mapped prices and the configured meters exist"));
        return true;
    }

    /** The features' meters and metered prices in map mode: found or created like in create mode. */
    private static boolean meters(SetupRun run) {
        List<Provisioning.Feature> features = features(run);
        if (features.isEmpty()) {
            return true;
        }
        if (run.stripe.isEmpty()) {
            Map<String, String> mapping = new LinkedHashMap<>();
            features.forEach(f -> mapping.put(f.key(), f.eventName()));
            run.changes.put("BILLING_USAGE_METERS", join(mapping));
            run.report(Finding.info("meters", "not checked against Stripe"));
            return true;
        }
        String currency = run.options.currency().orElse(SetupOptions.DEFAULT_CURRENCY);
        Provisioning.Result result = new Provisioning(run.stripe.get(), currency).provision(List.of(), features);
        result.found().forEach(f -> run.report(Finding.ok("found", f)));
        result.created().forEach(c -> run.report(Finding.ok("created", c)));
        run.changes.put("BILLING_USAGE_METERS", join(result.meterByFeature()));
        return true;
    }

    private static List<Provisioning.Feature> features(SetupRun run) {
        if (run.options.noMeters()) {
            return List.of();
        }
        Map<String, String> given = run.options.meters();
        if (given.isEmpty()) {
            given = pairs(run.prompts.ask(
                    "Metered features: feature=meter event name:price per unit in minor units (empty: none)",
                    SetupOptions.DEFAULT_METERS));
        }
        List<Provisioning.Feature> features = new ArrayList<>();
        given.forEach((feature, spec) -> {
            int colon = spec.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        "--meters " + feature + "=" + spec + ": give event_name:unit_amount, e.g. agent_run:2");
            }
            features.add(new Provisioning.Feature(
                    feature,
                    spec.substring(0, colon),
                    Long.parseLong(spec.substring(colon + 1).strip())));
        });
        return features;
    }

    static Map<String, String> pairs(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                pairs.put(
                        entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
            }
        }
        return pairs;
    }

    private static Map<String, Long> amounts(String text) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        pairs(text).forEach((code, amount) -> amounts.put(code, Long.parseLong(amount)));
        return amounts;
    }

    private static String join(Map<String, ?> pairs) {
        StringBuilder text = new StringBuilder();
        pairs.forEach((k, v) ->
                text.append(text.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return text.toString();
    }
}
