package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/prices}: one-off and recurring (licensed or metered-with-meter) prices. */
final class Prices {

    private final Emulation emu;
    private final Products products;

    Prices(Emulation emu, Products products) {
        this.emu = emu;
        this.products = products;
    }

    void register(Router router) {
        router.route("POST", "/v1/prices", this::create)
                .route("GET", "/v1/prices", this::list)
                .route("GET", "/v1/prices/{id}", r -> emu.store().require("price", r.pathParam("id")))
                .route("POST", "/v1/prices/{id}", this::update);
    }

    private ObjectNode create(ApiRequest request) {
        String productId = request.string("product").orElseGet(() -> {
            JsonNode data = request.node("product_data")
                    .filter(JsonNode::isObject)
                    .orElseThrow(() -> StripeException.missing("product"));
            return products.create(request, (ObjectNode) data).get("id").asString();
        });
        emu.store().require("product", productId);
        ObjectNode p = StripeJson.object();
        p.put("id", Ids.next("price"));
        p.put("object", "price");
        p.put("active", request.bool("active").orElse(true));
        p.put("billing_scheme", "per_unit");
        p.put("created", emu.now());
        p.put("currency", request.requireString("currency").toLowerCase());
        p.putNull("custom_unit_amount");
        p.put("livemode", false);
        p.putNull("lookup_key");
        p.putObject("metadata");
        p.putNull("nickname");
        p.put("product", productId);
        p.set("recurring", recurring(request));
        p.put("tax_behavior", request.string("tax_behavior").orElse("unspecified"));
        p.putNull("tiers_mode");
        p.putNull("transform_quantity");
        p.put("type", p.get("recurring").isNull() ? "one_time" : "recurring");
        long amount = request.integer("unit_amount")
                .orElseGet(() -> request.string("unit_amount_decimal")
                        .map(d -> new java.math.BigDecimal(d).longValue())
                        .orElseThrow(() -> StripeException.missing("unit_amount")));
        p.put("unit_amount", amount);
        p.put("unit_amount_decimal", request.string("unit_amount_decimal").orElse(Long.toString(amount)));
        Metadata.copyStrings(p, request, "nickname");
        Metadata.apply(p, request);
        request.string("lookup_key").ifPresent(key -> claimLookupKey(p, key, request));
        emu.store().put(p);
        emu.events().emit("price.created", p);
        return p;
    }

    private JsonNode recurring(ApiRequest request) {
        JsonNode given = request.params().get("recurring");
        if (given == null || !given.isObject()) {
            return StripeJson.NODES.nullNode();
        }
        ObjectNode r = StripeJson.object();
        String interval = given.path("interval").asString("");
        if (!List.of("day", "week", "month", "year").contains(interval)) {
            throw StripeException.invalid("recurring[interval]", "Invalid recurring[interval]: " + interval);
        }
        r.put("interval", interval);
        r.put(
                "interval_count",
                ApiRequest.parseLong(
                        "recurring[interval_count]",
                        given.path("interval_count").asString("1")));
        String usageType = given.path("usage_type").asString("licensed");
        String meter = given.path("meter").asString(null);
        if ("metered".equals(usageType)) {
            if (meter == null) {
                throw StripeException.invalid(
                        "recurring[meter]", "A meter is required for metered prices (recurring[meter]).");
            }
            emu.store().require("billing.meter", meter);
        }
        r.put("meter", "metered".equals(usageType) ? meter : null);
        r.putNull("trial_period_days");
        r.put("usage_type", usageType);
        return r;
    }

    /** Lookup keys are unique; {@code transfer_lookup_key=true} moves one from its current price. */
    private void claimLookupKey(ObjectNode price, String key, ApiRequest request) {
        for (ObjectNode other : emu.store().all("price")) {
            if (key.equals(other.path("lookup_key").asString(null))
                    && !other.get("id").equals(price.get("id"))) {
                if (!request.bool("transfer_lookup_key").orElse(false)) {
                    throw StripeException.invalid(
                            "lookup_key",
                            "A price (`" + other.get("id").asString() + "`) already uses that lookup key.");
                }
                other.putNull("lookup_key");
            }
        }
        price.put("lookup_key", key);
    }

    private ObjectNode update(ApiRequest request) {
        ObjectNode p = emu.store().require("price", request.pathParam("id"));
        ObjectNode before = p.deepCopy();
        request.bool("active").ifPresent(a -> p.put("active", a));
        Metadata.copyStrings(p, request, "nickname");
        Metadata.apply(p, request);
        request.string("lookup_key").ifPresent(key -> claimLookupKey(p, key, request));
        emu.events().emit("price.updated", p, Events.previousAttributes(before, p));
        return p;
    }

    private ObjectNode list(ApiRequest request) {
        List<String> lookupKeys = request.list("lookup_keys");
        List<ObjectNode> rows = emu.store().all("price").stream()
                .filter(p -> lookupKeys.isEmpty()
                        || lookupKeys.contains(p.path("lookup_key").asString(null)))
                .filter(p -> request.string("product")
                        .map(id -> id.equals(p.path("product").asString()))
                        .orElse(true))
                .filter(p -> request.bool("active")
                        .map(a -> a == p.path("active").asBoolean())
                        .orElse(true))
                .filter(p -> request.string("type")
                        .map(t -> t.equals(p.path("type").asString()))
                        .orElse(true))
                .toList();
        return ListPage.of(request, rows, "/v1/prices");
    }
}
