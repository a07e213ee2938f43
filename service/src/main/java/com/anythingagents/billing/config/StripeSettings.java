package com.anythingagents.billing.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Validated Stripe settings; exists as a bean only when billing is enabled. */
public record StripeSettings(
        String secretKey,
        List<String> webhookSecrets,
        PriceMap prices,
        Duration webhookTolerance,
        Optional<URI> apiBase) {

    static final Duration DEFAULT_WEBHOOK_TOLERANCE = Duration.ofSeconds(300);

    private static final List<String> KEY_PREFIXES = List.of("sk_test_", "sk_live_", "rk_test_", "rk_live_");

    public StripeSettings {
        webhookSecrets = List.copyOf(webhookSecrets);
    }

    /** Live keys expect live events; a test-mode service refuses live events and the reverse. */
    public boolean livemode() {
        return secretKey.startsWith("sk_live_") || secretKey.startsWith("rk_live_");
    }

    /** One line for the startup log: masked key, plan count. */
    public String summary() {
        return "key=" + Mask.secret(secretKey) + " webhook_secrets=" + webhookSecrets.size() + " plans=" + prices.size()
                + apiBase.map(base -> " api_base=" + base).orElse("");
    }

    @Override
    public String toString() {
        return "StripeSettings[" + summary() + "]";
    }

    /** Reads every Stripe variable, adding one message per missing or malformed one to {@code problems}. */
    static Optional<StripeSettings> parse(Function<String, String> vars, List<String> problems) {
        int before = problems.size();
        String key = required(vars, "STRIPE_SECRET_KEY", problems);
        if (key != null && KEY_PREFIXES.stream().noneMatch(key::startsWith)) {
            problems.add("STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_ (got "
                    + Mask.secret(key) + ")");
        }
        List<String> secrets = List.of();
        String secretList = required(vars, "STRIPE_WEBHOOK_SECRET", problems);
        if (secretList != null) {
            secrets = Arrays.stream(secretList.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
            secrets.stream()
                    .filter(s -> !s.startsWith("whsec_"))
                    .forEach(s -> problems.add(
                            "STRIPE_WEBHOOK_SECRET entries must start with whsec_ (got " + Mask.secret(s) + ")"));
        }
        String priceMapValue = required(vars, "STRIPE_PRODUCT_PRICE_MAP", problems);
        Optional<PriceMap> prices = priceMapValue == null ? Optional.empty() : PriceMap.parse(priceMapValue, problems);
        Duration tolerance =
                Settings.seconds(vars, "STRIPE_WEBHOOK_TOLERANCE_SECONDS", DEFAULT_WEBHOOK_TOLERANCE, problems);
        Optional<URI> apiBase = Settings.httpUrl(vars, "STRIPE_API_BASE", problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new StripeSettings(key, secrets, prices.orElseThrow(), tolerance, apiBase));
    }

    private static String required(Function<String, String> vars, String name, List<String> problems) {
        String value = vars.apply(name);
        if (value == null) {
            problems.add(name + " is missing (required when ENABLE_BILLING=true)");
            return null;
        }
        if (value.isBlank()) {
            problems.add(name + " is empty (required when ENABLE_BILLING=true)");
            return null;
        }
        return value.strip();
    }
}
