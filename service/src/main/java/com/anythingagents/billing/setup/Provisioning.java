package com.anythingagents.billing.setup;

import com.anythingagents.billing.stripe.NewPrice;
import com.anythingagents.billing.stripe.StripeGateway;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The plans and metered features of the service, made to exist in a Stripe account: each is looked
 * up first (a price by its lookup key, a product by its metadata, a meter by its event name) and
 * created only when missing, each creation under an idempotency key derived from what it creates.
 * A second run finds everything and creates nothing.
 */
final class Provisioning {

    /** A plan: a product and a monthly licensed price, amount in minor units. */
    record Plan(String code, long monthlyAmount) {}

    /** A metered feature: a meter for its event name and a price per unit of usage, in minor units. */
    record Feature(String key, String eventName, long unitAmount) {}

    /** What the account holds for the service now, and what this run had to create. */
    record Result(
            Map<String, String> priceByPlan,
            Map<String, String> meterByFeature,
            List<String> created,
            List<String> found,
            List<String> warnings) {}

    static final String PLAN_METADATA = "billing_plan";

    static final String FEATURE_METADATA = "billing_feature";

    private static final String INTERVAL = "month";

    private final StripeGateway stripe;

    private final String currency;

    private final List<String> created = new ArrayList<>();

    private final List<String> found = new ArrayList<>();

    private final List<String> warnings = new ArrayList<>();

    private List<JsonNode> products;

    Provisioning(StripeGateway stripe, String currency) {
        this.stripe = stripe;
        this.currency = currency.toLowerCase(Locale.ROOT);
    }

    static String planLookupKey(String plan) {
        return plan + "_monthly";
    }

    static String featureLookupKey(String feature) {
        return feature + "_metered";
    }

    Result provision(List<Plan> plans, List<Feature> features) {
        List<String> lookupKeys = new ArrayList<>();
        plans.forEach(p -> lookupKeys.add(planLookupKey(p.code())));
        features.forEach(f -> lookupKeys.add(featureLookupKey(f.key())));
        Map<String, JsonNode> prices = new LinkedHashMap<>();
        stripe.pricesByLookupKey(lookupKeys)
                .forEach(p -> prices.put(p.path("lookup_key").asString(), p));
        Map<String, String> priceByPlan = new LinkedHashMap<>();
        for (Plan plan : plans) {
            priceByPlan.put(plan.code(), planPrice(plan, Optional.ofNullable(prices.get(planLookupKey(plan.code())))));
        }
        Map<String, String> meterByFeature = new LinkedHashMap<>();
        if (!features.isEmpty()) {
            Map<String, String> meters = new LinkedHashMap<>();
            stripe.activeMeters()
                    .forEach(m -> meters.put(
                            m.path("event_name").asString(), m.path("id").asString()));
            for (Feature feature : features) {
                String meterId = Optional.ofNullable(meters.get(feature.eventName()))
                        .map(id -> note(found, "meter " + id + " (event " + feature.eventName() + ")", id))
                        .orElseGet(() -> createMeter(feature));
                meteredPrice(feature, meterId, Optional.ofNullable(prices.get(featureLookupKey(feature.key()))));
                meterByFeature.put(feature.key(), feature.eventName());
            }
        }
        return new Result(priceByPlan, meterByFeature, List.copyOf(created), List.copyOf(found), List.copyOf(warnings));
    }

    private String planPrice(Plan plan, Optional<JsonNode> existing) {
        String lookupKey = planLookupKey(plan.code());
        if (existing.isPresent()) {
            JsonNode price = existing.get();
            String id = price.path("id").asString();
            checkAmount(id, lookupKey, price, plan.monthlyAmount());
            return note(found, "price " + id + " (lookup key " + lookupKey + ")", id);
        }
        String productId = product(PLAN_METADATA, plan.code(), title(plan.code()));
        JsonNode price = stripe.createPrice(
                new NewPrice(
                        productId,
                        currency,
                        plan.monthlyAmount(),
                        INTERVAL,
                        lookupKey,
                        Optional.empty(),
                        Map.of(PLAN_METADATA, plan.code())),
                "billing-setup-price-" + lookupKey + "-" + plan.monthlyAmount() + "-" + currency);
        String id = price.path("id").asString();
        return note(
                created,
                "price " + id + " (unit_amount " + plan.monthlyAmount() + " " + currency + " per month, lookup key "
                        + lookupKey + ")",
                id);
    }

    private String createMeter(Feature feature) {
        JsonNode meter = stripe.createMeter(
                title(feature.key()), feature.eventName(), "billing-setup-meter-" + feature.eventName());
        String id = meter.path("id").asString();
        return note(created, "meter " + id + " (event " + feature.eventName() + ", sum of value)", id);
    }

    private void meteredPrice(Feature feature, String meterId, Optional<JsonNode> existing) {
        String lookupKey = featureLookupKey(feature.key());
        if (existing.isPresent()) {
            JsonNode price = existing.get();
            String id = price.path("id").asString();
            checkAmount(id, lookupKey, price, feature.unitAmount());
            if (!meterId.equals(price.path("recurring").path("meter").asString(null))) {
                warnings.add("price " + id + " (lookup key " + lookupKey + ") bills another meter than " + meterId
                        + ": usage of " + feature.key() + " is not billed by it");
            }
            note(found, "price " + id + " (lookup key " + lookupKey + ")", id);
            return;
        }
        String productId = product(FEATURE_METADATA, feature.key(), title(feature.key()));
        JsonNode price = stripe.createPrice(
                new NewPrice(
                        productId,
                        currency,
                        feature.unitAmount(),
                        INTERVAL,
                        lookupKey,
                        Optional.of(meterId),
                        Map.of(FEATURE_METADATA, feature.key())),
                "billing-setup-price-" + lookupKey + "-" + feature.unitAmount() + "-" + currency + "-" + meterId);
        note(
                created,
                "price " + price.path("id").asString() + " (unit_amount " + feature.unitAmount() + " " + currency
                        + " per unit of "
                        + feature.eventName() + ", lookup key " + lookupKey + ")",
                "");
    }

    /** The product carrying {@code metadata[key]=value}, created once. */
    private String product(String key, String value, String name) {
        if (products == null) {
            products = stripe.activeProducts();
        }
        for (JsonNode product : products) {
            if (value.equals(product.path("metadata").path(key).asString(null))) {
                String id = product.path("id").asString();
                return note(found, "product " + id + " (metadata " + key + "=" + value + ")", id);
            }
        }
        JsonNode product = stripe.createProduct(name, Map.of(key, value), "billing-setup-product-" + key + "-" + value);
        String id = product.path("id").asString();
        return note(created, "product " + id + " \"" + name + "\" (metadata " + key + "=" + value + ")", id);
    }

    /** Stripe prices are immutable: a different amount asked for is reported, the existing price kept. */
    private void checkAmount(String id, String lookupKey, JsonNode price, long wanted) {
        long amount = price.path("unit_amount").asLong(-1);
        String priceCurrency = price.path("currency").asString("");
        if (amount != wanted || !priceCurrency.equals(currency)) {
            warnings.add("price " + id + " (lookup key " + lookupKey + ") has unit_amount " + amount + " "
                    + priceCurrency + ", not " + wanted + " " + currency
                    + ": kept (Stripe prices never change; create the new"
                    + " price in the Dashboard, move the lookup key to it, then run setup again)");
        }
    }

    private static String note(List<String> list, String what, String id) {
        list.add(what);
        return id;
    }

    private static String title(String code) {
        String words = code.replace('_', ' ').replace('-', ' ');
        return words.isEmpty() ? code : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
