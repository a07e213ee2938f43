package com.anythingagents.billing.plans;

import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.stripe.StripeFailure;
import com.anythingagents.billing.stripe.StripeGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What the tenant can buy, as Stripe has it: each configured plan's price (amount, currency,
 * interval, product name) and the metered prices of the configured usage features. The metered
 * prices are discovered, not configured: a feature's meter is the active Billing Meter with its
 * event name, and its price is the active metered price on that meter in the plan's currency and
 * interval (the newest, if several). A subscription gets the plan price plus these, so usage is
 * billed on the plan's own invoices. Read from Stripe at most every {@code BILLING_CATALOG_CACHE_SECONDS};
 * when a refresh fails the last good catalog is kept.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
public class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    private final StripeGateway stripe;

    private final Map<String, String> pricesByPlan;

    private final Map<String, String> meters;

    private final Duration ttl;

    private final Clock clock;

    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    Catalog(StripeGateway stripe, ServiceSettings settings, Clock clock) {
        this.stripe = stripe;
        this.pricesByPlan = settings.stripe().orElseThrow().prices().pricesByPlan();
        this.meters = settings.usage().meters();
        this.ttl = settings.api().catalogCache();
        this.clock = clock;
    }

    /** A plan as offered; amounts in minor units of {@code currency} (null for prices without a unit amount). */
    public record Plan(
            String planCode,
            String stripePriceId,
            String productName,
            Long amount,
            String currency,
            String interval,
            List<String> meteredFeatures) {}

    /** A usage feature's metered price. */
    public record MeteredPrice(String featureKey, String priceId, String currency, String interval) {}

    private record Snapshot(List<Plan> plans, List<MeteredPrice> metered, Instant loadedAt) {}

    public List<Plan> plans() {
        return current().plans();
    }

    public Optional<Plan> plan(String planCode) {
        return plans().stream().filter(p -> p.planCode().equals(planCode)).findFirst();
    }

    /** The metered prices to subscribe with a plan: one per feature, in the plan's currency and interval. */
    public List<String> meteredPriceIds(String planCode) {
        Snapshot current = current();
        return current.plans().stream()
                .filter(p -> p.planCode().equals(planCode))
                .findFirst()
                .map(plan -> meteredFor(plan, current.metered()).stream()
                        .map(MeteredPrice::priceId)
                        .toList())
                .orElse(List.of());
    }

    private Snapshot current() {
        Snapshot cached = snapshot.get();
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.loadedAt().plus(ttl))) {
            return cached;
        }
        // concurrent refreshes may both read Stripe; the later one wins, both are correct
        try {
            Snapshot loaded = load(now);
            snapshot.set(loaded);
            return loaded;
        } catch (StripeFailure failure) {
            if (cached == null) {
                throw failure;
            }
            log.warn(
                    "Could not refresh the catalog from Stripe; keeping the one from {}: {}",
                    cached.loadedAt(),
                    failure.getMessage());
            return cached;
        }
    }

    private Snapshot load(Instant now) {
        List<MeteredPrice> metered = meteredPrices();
        List<Plan> plans = new ArrayList<>();
        pricesByPlan.forEach((code, priceId) -> {
            Optional<JsonNode> price = stripe.retrievePrice(priceId);
            if (price.isEmpty()) {
                log.warn("Plan {} maps to price {}, which Stripe does not know", code, priceId);
                plans.add(new Plan(code, priceId, null, null, null, null, List.of()));
                return;
            }
            Plan plan = plan(code, price.get());
            plans.add(new Plan(
                    plan.planCode(),
                    plan.stripePriceId(),
                    plan.productName(),
                    plan.amount(),
                    plan.currency(),
                    plan.interval(),
                    meteredFor(plan, metered).stream()
                            .map(MeteredPrice::featureKey)
                            .toList()));
        });
        return new Snapshot(List.copyOf(plans), List.copyOf(metered), now);
    }

    private List<MeteredPrice> meteredPrices() {
        if (meters.isEmpty()) {
            return List.of();
        }
        Map<String, String> meterIdByEvent = new LinkedHashMap<>();
        stripe.activeMeters()
                .forEach(m -> meterIdByEvent.put(
                        m.path("event_name").asString(), m.path("id").asString()));
        List<MeteredPrice> metered = new ArrayList<>();
        meters.forEach((feature, eventName) -> {
            String meterId = meterIdByEvent.get(eventName);
            if (meterId == null) {
                log.warn(
                        "Usage feature {} reports to meter event {}, but Stripe has no active meter for it;"
                                + " its usage is sent but not billed",
                        feature,
                        eventName);
                return;
            }
            List<JsonNode> prices = new ArrayList<>(stripe.meteredPrices(meterId));
            // newest first, as Stripe lists; an explicit sort in case a server does not
            prices.sort((a, b) ->
                    Long.compare(b.path("created").asLong(0), a.path("created").asLong(0)));
            prices.forEach(p -> metered.add(new MeteredPrice(
                    feature,
                    p.path("id").asString(),
                    p.path("currency").asString(),
                    p.path("recurring").path("interval").asString())));
        });
        return metered;
    }

    /** Per feature, the newest metered price matching the plan's currency and interval. */
    private static List<MeteredPrice> meteredFor(Plan plan, List<MeteredPrice> metered) {
        Map<String, MeteredPrice> byFeature = new LinkedHashMap<>();
        for (MeteredPrice price : metered) {
            if (price.currency().equals(plan.currency()) && price.interval().equals(plan.interval())) {
                byFeature.putIfAbsent(price.featureKey(), price);
            }
        }
        return List.copyOf(byFeature.values());
    }

    private static Plan plan(String code, JsonNode price) {
        JsonNode product = price.path("product");
        JsonNode amount = price.path("unit_amount");
        return new Plan(
                code,
                price.path("id").asString(),
                product.isObject() ? product.path("name").asString(null) : null,
                amount.isIntegralNumber() ? amount.asLong() : null,
                price.path("currency").asString(null),
                price.path("recurring").path("interval").asString(null),
                List.of());
    }
}
