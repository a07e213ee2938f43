package com.anythingagents.stripe.emulator;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/invoices}: retrieve, list (by customer, subscription, status), lines, pay. */
final class Invoices {

    private final Emulation emu;
    private final Payments payments;

    Invoices(Emulation emu, Payments payments) {
        this.emu = emu;
        this.payments = payments;
    }

    void register(Router router) {
        router.route("GET", "/v1/invoices", this::list)
                .route("GET", "/v1/invoices/{id}", r -> emu.store().require("invoice", r.pathParam("id")))
                .route("GET", "/v1/invoices/{id}/lines", r -> {
                    ObjectNode invoice = emu.store().require("invoice", r.pathParam("id"));
                    List<ObjectNode> lines = SubscriptionItems.of(wrap(invoice));
                    java.util.Collections.reverse(lines);
                    return ListPage.of(r, lines, invoice.get("lines").get("url").asString());
                })
                .route("POST", "/v1/invoices/{id}/pay", r -> {
                    ObjectNode invoice = emu.store().require("invoice", r.pathParam("id"));
                    payments.pay(invoice);
                    return invoice;
                });
    }

    private static ObjectNode wrap(ObjectNode invoice) {
        ObjectNode holder = StripeJson.object();
        holder.set("items", invoice.get("lines"));
        return holder;
    }

    private ObjectNode list(ApiRequest request) {
        List<ObjectNode> rows = emu.store().all("invoice").stream()
                .filter(i -> request.string("customer")
                        .map(c -> c.equals(i.path("customer").asString()))
                        .orElse(true))
                .filter(i -> request.string("subscription")
                        .map(s -> s.equals(i.path("subscription").asString()))
                        .orElse(true))
                .filter(i -> request.string("status")
                        .map(s -> s.equals(i.path("status").asString()))
                        .orElse(true))
                .toList();
        return ListPage.of(request, rows, "/v1/invoices");
    }
}
