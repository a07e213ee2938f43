package com.anythingagents.billing.doctor;

import com.anythingagents.billing.config.Mask;
import com.anythingagents.billing.stripe.StripeFailure;
import com.anythingagents.billing.stripe.StripeGateway;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the configured Stripe account holds for this service: does the key work, does every mapped
 * price exist and bill, does every usage feature have its meter, and do the webhook endpoints send
 * events this SDK can read. Reads only.
 */
public final class StripeAccount {

    /** Where the SDK goes when {@code STRIPE_API_BASE} is unset. */
    static final String STRIPE_API = "https://api.stripe.com";

    private static final String SETUP = "run `make stripe-setup` (it finds or creates what is missing)";

    private final StripeGateway stripe;

    private final String secretKey;

    private final String apiBase;

    public StripeAccount(StripeGateway stripe, String secretKey, Optional<URI> apiBase) {
        this.stripe = stripe;
        this.secretKey = secretKey;
        this.apiBase = apiBase.map(URI::toString).orElse(STRIPE_API);
    }

    /** {@code sk_test_}, {@code rk_test_}: test; {@code sk_live_}, {@code rk_live_}: live; anything else is no key. */
    public static Optional<String> mode(String key) {
        if (key == null) {
            return Optional.empty();
        }
        for (String prefix : List.of("sk_", "rk_")) {
            if (key.startsWith(prefix + "test_") && key.length() > prefix.length() + 5) {
                return Optional.of("test");
            }
            if (key.startsWith(prefix + "live_") && key.length() > prefix.length() + 5) {
                return Optional.of("live");
            }
        }
        return Optional.empty();
    }

    /** What Stripe said to the key: it works, it was refused, or Stripe did not answer. */
    public enum KeyStatus {
        WORKS,
        REFUSED,
        UNREACHABLE
    }

    /** The outcome of {@link #checkKey()}, and how to print it. */
    public record KeyCheck(KeyStatus status, Finding finding) {}

    /** An authenticated read: the key's mode, and whether Stripe takes it. */
    public Finding key() {
        return checkKey().finding();
    }

    public KeyCheck checkKey() {
        String mode = mode(secretKey).orElse("unknown");
        String subject = "stripe key";
        try {
            stripe.listPrices(1);
        } catch (StripeFailure.Unauthorized ex) {
            return new KeyCheck(
                    KeyStatus.REFUSED,
                    Finding.error(
                            subject,
                            "Stripe at " + apiBase + " refused " + Mask.secret(secretKey) + " (" + ex.getMessage()
                                    + ")",
                            "create a secret or restricted key in the Dashboard (Developers → API keys) and run"
                                    + " `make stripe-setup`"));
        } catch (StripeFailure ex) {
            return new KeyCheck(
                    KeyStatus.UNREACHABLE,
                    Finding.error(
                            subject,
                            "cannot reach Stripe at " + apiBase + ": " + Infrastructure.firstLine(ex.getMessage()),
                            "check the network, or STRIPE_API_BASE if you point the SDK elsewhere"));
        }
        if ("live".equals(mode)) {
            return new KeyCheck(
                    KeyStatus.WORKS,
                    Finding.warning(
                            subject,
                            Mask.secret(secretKey) + " works against " + apiBase + " in LIVE mode: real money moves",
                            "use a test-mode key (sk_test_/rk_test_) anywhere but production"));
        }
        return new KeyCheck(
                KeyStatus.WORKS,
                Finding.ok(subject, Mask.secret(secretKey) + " works against " + apiBase + " (" + mode + " mode)"));
    }

    /** Every plan's price exists, is active and recurring. */
    public List<Finding> prices(Map<String, String> pricesByPlan) {
        List<Finding> findings = new ArrayList<>();
        pricesByPlan.forEach((plan, priceId) -> findings.add(price(plan, priceId)));
        return findings;
    }

    private Finding price(String plan, String priceId) {
        String subject = "price " + plan;
        Optional<JsonNode> found = stripe.retrievePrice(priceId);
        if (found.isEmpty()) {
            return Finding.error(
                    subject,
                    priceId + " does not exist in this Stripe account (another account, or the other mode?)",
                    SETUP + ", or correct STRIPE_PRODUCT_PRICE_MAP");
        }
        JsonNode price = found.get();
        if (!price.path("active").asBoolean(false)) {
            return Finding.error(
                    subject,
                    priceId + " is archived: Stripe refuses new subscriptions to it",
                    "map the plan to an active price (" + SETUP + ")");
        }
        JsonNode recurring = price.path("recurring");
        if (!recurring.isObject()) {
            return Finding.error(
                    subject,
                    priceId + " is a one-time price: a plan needs a recurring one",
                    "map the plan to a recurring price (" + SETUP + ")");
        }
        String product = price.path("product")
                .path("name")
                .asString(price.path("product").asString(""));
        return Finding.ok(
                subject,
                priceId + " active, unit_amount " + price.path("unit_amount").asString("?") + " "
                        + price.path("currency").asString("") + " per "
                        + recurring.path("interval").asString("?") + (product.isEmpty() ? "" : ", " + product));
    }

    /** Every usage feature's meter event name has an active meter, and a price that bills it. */
    public List<Finding> meters(Map<String, String> meterByFeature) {
        if (meterByFeature.isEmpty()) {
            return List.of(Finding.info("meters", "no usage features configured (BILLING_USAGE_METERS is unset)"));
        }
        Map<String, String> meterIdByEvent = new LinkedHashMap<>();
        stripe.activeMeters().forEach(m -> {
            if ("active".equals(m.path("status").asString("active"))) {
                meterIdByEvent.put(m.path("event_name").asString(), m.path("id").asString());
            }
        });
        List<Finding> findings = new ArrayList<>();
        meterByFeature.forEach((feature, eventName) -> {
            String subject = "meter " + feature;
            String meterId = meterIdByEvent.get(eventName);
            if (meterId == null) {
                findings.add(Finding.error(
                        subject,
                        "no active billing meter has event_name " + eventName
                                + ": usage of this feature is sent but never billed",
                        SETUP + ", or correct BILLING_USAGE_METERS"));
                return;
            }
            List<JsonNode> prices = stripe.meteredPrices(meterId);
            if (prices.isEmpty()) {
                findings.add(Finding.warning(
                        subject,
                        meterId + " (event " + eventName
                                + ") has no active metered price: usage is counted, not billed",
                        SETUP));
                return;
            }
            findings.add(Finding.ok(
                    subject,
                    meterId + " (event " + eventName + "), billed by "
                            + prices.get(0).path("id").asString()));
        });
        return findings;
    }

    /**
     * Every enabled webhook endpoint sends events on this SDK's release train; one that does not
     * makes stripe-java's typed event parsing come back empty.
     */
    public List<Finding> webhookEndpoints() {
        List<JsonNode> enabled = stripe.webhookEndpoints().stream()
                .filter(e -> "enabled".equals(e.path("status").asString("enabled")))
                .toList();
        if (enabled.isEmpty()) {
            return List.of(Finding.warning(
                    "webhook endpoints",
                    "none enabled in this account: events arrive only through `stripe listen` (development)",
                    "for a hosted service: `make stripe-setup ARGS=\"--webhook-url https://<host>/webhooks/stripe\"`"));
        }
        String sdk = StripeGateway.apiVersion();
        List<Finding> findings = new ArrayList<>();
        for (JsonNode endpoint : enabled) {
            String subject = "webhook " + endpoint.path("id").asString();
            String url = endpoint.path("url").asString("?");
            String version = endpoint.path("api_version").asString(null);
            if (version == null) {
                findings.add(Finding.warning(
                        subject,
                        url + " uses the account's default API version, which may not be " + sdk,
                        "create the endpoint with api_version " + sdk + " (`make stripe-setup ARGS=\"--webhook-url "
                                + url + "\"` does), switch secrets as in the runbook's rotation, delete the old one"));
            } else if (StripeGateway.onReleaseTrain(version)) {
                findings.add(Finding.ok(subject, url + " on " + version + " (the SDK's release train)"));
            } else {
                findings.add(Finding.error(
                        subject,
                        url + " sends events on " + version + ", off the SDK's release train (" + sdk
                                + "): typed event parsing comes back empty",
                        "create an endpoint on " + sdk + ", switch STRIPE_WEBHOOK_SECRET to it (two secrets during"
                                + " the switch: docs/billing/stripe-runbook.md), then delete "
                                + endpoint.path("id").asString()));
            }
        }
        return findings;
    }
}
