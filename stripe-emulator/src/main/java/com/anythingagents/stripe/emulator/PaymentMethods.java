package com.anythingagents.stripe.emulator;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Card payment methods saved by Checkout; {@code GET /v1/payment_methods/{id}} reads one. */
final class PaymentMethods {

    private final Emulation emu;

    PaymentMethods(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("GET", "/v1/payment_methods/{id}", r -> emu.store().require("payment_method", r.pathParam("id")));
    }

    /** A card attached to {@code customer}, as Checkout saves it for the subscription it starts. */
    ObjectNode attachCard(String customer, String number, String name, String email) {
        String digits = TestCards.digits(number);
        ObjectNode pm = StripeJson.object();
        pm.put("id", Ids.next("pm"));
        pm.put("object", "payment_method");
        pm.put("allow_redisplay", "always");
        ObjectNode billing = pm.putObject("billing_details");
        ObjectNode address = billing.putObject("address");
        List.of("city", "country", "line1", "line2", "postal_code", "state").forEach(address::putNull);
        billing.put("email", email);
        billing.put("name", name);
        billing.putNull("phone");
        billing.putNull("tax_id");
        ObjectNode card = pm.putObject("card");
        String brand = TestCards.brand(digits);
        card.put("brand", brand);
        ObjectNode checks = card.putObject("checks");
        checks.putNull("address_line1_check");
        checks.putNull("address_postal_code_check");
        checks.put("cvc_check", "pass");
        card.put("country", "US");
        card.put("display_brand", brand);
        card.put("exp_month", 12);
        card.put("exp_year", java.time.Year.now().getValue() + 3);
        card.put("fingerprint", Ids.random(16));
        card.put("funding", "credit");
        card.putNull("generated_from");
        card.put("last4", digits.substring(Math.max(0, digits.length() - 4)));
        ObjectNode networks = card.putObject("networks");
        networks.putArray("available").add(brand);
        networks.putNull("preferred");
        card.put("regulated_status", "unregulated");
        card.putObject("three_d_secure_usage").put("supported", true);
        card.putNull("wallet");
        pm.put("created", emu.now());
        pm.put("customer", customer);
        pm.putNull("customer_account");
        pm.put("livemode", false);
        pm.putObject("metadata");
        pm.put("type", "card");
        emu.store().put(pm);
        emu.events().emit("payment_method.attached", pm);
        return pm;
    }
}
