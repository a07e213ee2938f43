package com.anythingagents.stripe.emulator;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** A new subscription-mode Checkout Session with every field of the 2026-07-29.dahlia shape. */
final class CheckoutSessionSkeleton {

    private CheckoutSessionSkeleton() {}

    static ObjectNode open(String id, long now, long expiresAt, String currency, long amount, String url) {
        ObjectNode s = StripeJson.object();
        s.put("id", id);
        s.put("object", "checkout.session");
        s.putNull("adaptive_pricing");
        s.putNull("after_expiration");
        s.putNull("allow_promotion_codes");
        s.put("amount_subtotal", amount);
        s.put("amount_total", amount);
        ObjectNode tax = s.putObject("automatic_tax");
        tax.put("enabled", false);
        tax.putNull("liability");
        tax.putNull("provider");
        tax.putNull("status");
        s.putNull("billing_address_collection");
        s.putNull("cancel_url");
        s.putNull("client_reference_id");
        s.putNull("client_secret");
        s.putNull("collected_information");
        s.putNull("consent");
        s.putNull("consent_collection");
        s.put("created", now);
        s.put("currency", currency);
        s.putNull("currency_conversion");
        s.putArray("custom_fields");
        ObjectNode text = s.putObject("custom_text");
        List.of("after_submit", "shipping_address", "submit", "terms_of_service_acceptance")
                .forEach(text::putNull);
        s.putNull("customer");
        s.putNull("customer_account");
        s.putNull("customer_creation");
        s.putNull("customer_details");
        s.putNull("customer_email");
        s.putArray("discounts");
        s.put("expires_at", expiresAt);
        s.putNull("integration_identifier");
        s.putNull("invoice");
        s.putNull("invoice_creation");
        s.put("livemode", false);
        s.putNull("locale");
        s.putObject("metadata");
        s.put("mode", "subscription");
        s.putNull("origin_context");
        s.putNull("payment_intent");
        s.putNull("payment_link");
        s.put("payment_method_collection", "always");
        s.putNull("payment_method_configuration_details");
        s.putObject("payment_method_options").putObject("card").put("request_three_d_secure", "automatic");
        s.putArray("payment_method_types").add("card");
        s.put("payment_status", "unpaid");
        s.putNull("permissions");
        s.putObject("phone_number_collection").put("enabled", false);
        s.putNull("recovered_from");
        s.putNull("saved_payment_method_options");
        s.putNull("setup_intent");
        s.putNull("shipping_address_collection");
        s.putNull("shipping_cost");
        s.putArray("shipping_options");
        s.put("status", "open");
        s.putNull("submit_type");
        s.putNull("subscription");
        s.putNull("success_url");
        ObjectNode totals = s.putObject("total_details");
        totals.put("amount_discount", 0);
        totals.put("amount_shipping", 0);
        totals.put("amount_tax", 0);
        s.put("ui_mode", "hosted");
        s.put("url", url);
        s.putNull("wallet_options");
        return s;
    }

    /** {@code customer_details} once the customer has paid. */
    static ObjectNode customerDetails(String email, String name) {
        ObjectNode d = StripeJson.object();
        ObjectNode address = d.putObject("address");
        List.of("city", "country", "line1", "line2", "postal_code", "state").forEach(address::putNull);
        d.putNull("business_name");
        d.put("email", email);
        d.putNull("individual_name");
        d.put("name", name);
        d.putNull("phone");
        d.put("tax_exempt", "none");
        d.putArray("tax_ids");
        return d;
    }

    /** One {@code line_items} entry (object {@code item}). */
    static ObjectNode lineItem(ObjectNode price, Long quantity, String description, ObjectNode metadata) {
        long amount = quantity == null ? 0 : price.path("unit_amount").asLong() * quantity;
        ObjectNode li = StripeJson.object();
        li.put("id", "li_" + Ids.random(24));
        li.put("object", "item");
        li.putNull("adjustable_quantity");
        li.put("amount_discount", 0);
        li.put("amount_subtotal", amount);
        li.put("amount_tax", 0);
        li.put("amount_total", amount);
        li.put("currency", price.get("currency").asString());
        li.put("description", description);
        li.set("metadata", metadata);
        li.set("price", price.deepCopy());
        if (quantity == null) {
            li.putNull("quantity");
        } else {
            li.put("quantity", quantity);
        }
        return li;
    }
}
