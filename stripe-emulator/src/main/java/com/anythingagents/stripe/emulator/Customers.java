package com.anythingagents.stripe.emulator;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/customers}: create, retrieve, update, delete, list and search. */
final class Customers {

    private final Emulation emu;
    private final Subscriptions subscriptions;

    Customers(Emulation emu, Subscriptions subscriptions) {
        this.emu = emu;
        this.subscriptions = subscriptions;
    }

    void register(Router router) {
        router.route("POST", "/v1/customers", this::create)
                .route("GET", "/v1/customers/search", this::search)
                .route("GET", "/v1/customers", this::list)
                .route("GET", "/v1/customers/{id}", r -> emu.store().require("customer", r.pathParam("id")))
                .route("POST", "/v1/customers/{id}", this::update)
                .route("DELETE", "/v1/customers/{id}", this::delete);
    }

    /** Also how a completed Checkout Session creates its customer. */
    ObjectNode create(ApiRequest request) {
        ObjectNode c = StripeJson.object();
        c.put("id", Ids.next("cus"));
        c.put("object", "customer");
        ObjectNode address = c.putObject("address");
        List.of("city", "country", "line1", "line2", "postal_code", "state").forEach(address::putNull);
        c.put("balance", 0);
        c.put("created", emu.now());
        c.putNull("currency");
        c.putNull("default_source");
        c.put("delinquent", false);
        c.putNull("description");
        c.putNull("email");
        c.put("invoice_prefix", Ids.random(8).toUpperCase());
        c.putObject("invoice_settings").putNull("default_payment_method");
        c.put("livemode", false);
        c.putObject("metadata");
        c.putNull("name");
        c.put("next_invoice_sequence", 1);
        c.putNull("phone");
        c.putArray("preferred_locales");
        c.putNull("shipping");
        c.put("tax_exempt", "none");
        c.putNull("test_clock");
        Metadata.copyStrings(c, request, "email", "name", "description", "phone");
        Metadata.apply(c, request);
        emu.store().put(c);
        emu.events().emit("customer.created", c);
        return c;
    }

    ObjectNode update(ApiRequest request) {
        ObjectNode c = emu.store().require("customer", request.pathParam("id"));
        ObjectNode before = c.deepCopy();
        Metadata.copyStrings(c, request, "email", "name", "description", "phone");
        Metadata.apply(c, request);
        emu.events().emit("customer.updated", c, Events.previousAttributes(before, c));
        return c;
    }

    /** Deleting a customer cancels its subscriptions first, as Stripe does. */
    private ObjectNode delete(ApiRequest request) {
        ObjectNode c = emu.store().require("customer", request.pathParam("id"));
        subscriptions.cancelAllOf(c.get("id").asString());
        emu.store().remove("customer", c.get("id").asString());
        emu.events().emit("customer.deleted", c);
        ObjectNode deleted = StripeJson.object();
        deleted.put("id", c.get("id").asString());
        deleted.put("object", "customer");
        deleted.put("deleted", true);
        return deleted;
    }

    private ObjectNode list(ApiRequest request) {
        List<ObjectNode> rows = emu.store().all("customer").stream()
                .filter(c -> request.string("email")
                        .map(e -> e.equals(c.path("email").asString()))
                        .orElse(true))
                .toList();
        return ListPage.of(request, rows, "/v1/customers");
    }

    private ObjectNode search(ApiRequest request) {
        SearchQuery query = SearchQuery.parse(request.requireString("query"));
        ObjectNode result = StripeJson.object();
        result.put("object", "search_result");
        var data = result.putArray("data");
        List<ObjectNode> all = emu.store().all("customer");
        java.util.Collections.reverse(all);
        long limit = request.integer("limit").orElse(10L);
        all.stream().filter(query::matches).limit(limit).forEach(c -> data.add(c.deepCopy()));
        result.put("has_more", false);
        result.putNull("next_page");
        result.put("url", "/v1/customers/search");
        return result;
    }
}
