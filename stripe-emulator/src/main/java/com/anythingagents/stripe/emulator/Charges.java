package com.anythingagents.stripe.emulator;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Charges made when invoices are paid; read-only over the API. */
final class Charges {

    private final Emulation emu;

    Charges(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route(
                        "GET",
                        "/v1/charges",
                        r -> ListPage.of(
                                r,
                                emu.store().all("charge").stream()
                                        .filter(c -> r.string("customer")
                                                .map(id -> id.equals(
                                                        c.path("customer").asString()))
                                                .orElse(true))
                                        .toList(),
                                "/v1/charges"))
                .route("GET", "/v1/charges/{id}", r -> emu.store().require("charge", r.pathParam("id")));
    }

    ObjectNode create(ObjectNode invoice, Optional<String> declineCode) {
        boolean failed = declineCode.isPresent();
        long amount = invoice.get("amount_remaining").asLong();
        ObjectNode c = StripeJson.object();
        c.put("id", Ids.next("ch"));
        c.put("object", "charge");
        c.put("amount", amount);
        c.put("amount_captured", failed ? 0 : amount);
        c.put("amount_refunded", 0);
        ObjectNode billing = c.putObject("billing_details");
        ObjectNode address = billing.putObject("address");
        List.of("city", "country", "line1", "line2", "postal_code", "state").forEach(address::putNull);
        billing.putNull("email");
        billing.putNull("name");
        billing.putNull("phone");
        c.put("captured", !failed);
        c.put("created", emu.now());
        c.put("currency", invoice.get("currency").asString());
        c.put("customer", invoice.get("customer").asString());
        c.put("description", "Subscription update");
        c.put("disputed", false);
        c.put("failure_code", failed ? "card_declined" : null);
        c.put("failure_message", failed ? "Your card was declined." : null);
        c.putObject("fraud_details");
        c.put("livemode", false);
        c.putObject("metadata");
        ObjectNode outcome = c.putObject("outcome");
        outcome.put("network_status", failed ? "declined_by_network" : "approved_by_network");
        outcome.put("reason", declineCode.orElse(null));
        outcome.put("risk_level", "normal");
        outcome.put(
                "seller_message",
                failed ? "The bank did not return any further details with this decline." : "Payment complete.");
        outcome.put("type", failed ? "issuer_declined" : "authorized");
        c.put("paid", !failed);
        c.put("payment_intent", Ids.next("pi"));
        c.put(
                "payment_method",
                emu.store()
                        .find("subscription", invoice.path("subscription").asString())
                        .map(s -> s.path("default_payment_method").asString(null))
                        .orElseGet(() -> Ids.next("pm")));
        c.put(
                "receipt_url",
                failed
                        ? null
                        : emu.baseUrl().get() + "/invoices/" + invoice.get("id").asString());
        c.put("refunded", false);
        c.put("status", failed ? "failed" : "succeeded");
        emu.store().put(c);
        return c;
    }
}
