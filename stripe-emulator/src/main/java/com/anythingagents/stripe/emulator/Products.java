package com.anythingagents.stripe.emulator;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/products}: create, retrieve, update, list. */
final class Products {

    private final Emulation emu;

    Products(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("POST", "/v1/products", r -> create(r, r.params()))
                .route("GET", "/v1/products", this::list)
                .route("GET", "/v1/products/{id}", r -> emu.store().require("product", r.pathParam("id")))
                .route("POST", "/v1/products/{id}", this::update);
    }

    /** The price's nickname, else its product's name, as Stripe labels invoice lines and pages. */
    static String nameOf(Store store, tools.jackson.databind.JsonNode price) {
        String nickname = price.path("nickname").asString(null);
        if (nickname != null) {
            return nickname;
        }
        String product = price.path("product").asString();
        return store.find("product", product)
                .map(p -> p.path("name").asString(product))
                .orElse(product);
    }

    /** Also used for {@code product_data} on price creation, hence the explicit parameter tree. */
    ObjectNode create(ApiRequest request, ObjectNode fields) {
        ApiRequest scoped = new ApiRequest(
                request.method(),
                request.path(),
                request.pathParams(),
                fields,
                request.requestId(),
                request.idempotencyKey());
        ObjectNode p = StripeJson.object();
        p.put("id", scoped.string("id").orElseGet(() -> Ids.next("prod")));
        p.put("object", "product");
        p.put("active", scoped.bool("active").orElse(true));
        p.put("created", emu.now());
        p.putNull("default_price");
        p.putNull("description");
        p.putArray("images");
        p.put("livemode", false);
        p.putArray("marketing_features");
        p.putObject("metadata");
        p.put("name", scoped.requireString("name"));
        p.putNull("package_dimensions");
        p.putNull("shippable");
        p.putNull("statement_descriptor");
        p.putNull("tax_code");
        p.put("type", "service");
        p.putNull("unit_label");
        p.put("updated", emu.now());
        p.putNull("url");
        Metadata.copyStrings(p, scoped, "description", "unit_label", "statement_descriptor");
        Metadata.apply(p, scoped);
        emu.store().put(p);
        emu.events().emit("product.created", p);
        return p;
    }

    private ObjectNode update(ApiRequest request) {
        ObjectNode p = emu.store().require("product", request.pathParam("id"));
        ObjectNode before = p.deepCopy();
        Metadata.copyStrings(p, request, "name", "description", "unit_label", "default_price");
        request.bool("active").ifPresent(a -> p.put("active", a));
        Metadata.apply(p, request);
        p.put("updated", emu.now());
        emu.events().emit("product.updated", p, Events.previousAttributes(before, p));
        return p;
    }

    private ObjectNode list(ApiRequest request) {
        List<ObjectNode> rows = emu.store().all("product").stream()
                .filter(p -> request.bool("active")
                        .map(a -> a == p.path("active").asBoolean())
                        .orElse(true))
                .toList();
        return ListPage.of(request, rows, "/v1/products");
    }
}
