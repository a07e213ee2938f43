package com.anythingagents.stripe.emulator;

import tools.jackson.databind.node.ObjectNode;

/** A new subscription object with every field of the 2026-07-29.dahlia shape at its default. */
final class SubscriptionSkeleton {

    private SubscriptionSkeleton() {}

    static ObjectNode create(String id, String customer, long now, String currency) {
        ObjectNode s = StripeJson.object();
        s.put("id", id);
        s.put("object", "subscription");
        s.putNull("application");
        s.putNull("application_fee_percent");
        ObjectNode tax = s.putObject("automatic_tax");
        tax.put("enabled", false);
        tax.putNull("liability");
        tax.putNull("disabled_reason");
        s.put("billing_cycle_anchor", now);
        s.putNull("billing_cycle_anchor_config");
        ObjectNode mode = s.putObject("billing_mode");
        mode.put("type", "flexible");
        mode.putObject("flexible").put("proration_discounts", "included");
        mode.put("updated_at", now);
        s.putNull("billing_thresholds");
        s.putNull("cancel_at");
        s.put("cancel_at_period_end", false);
        s.putNull("canceled_at");
        ObjectNode cancellation = s.putObject("cancellation_details");
        cancellation.putNull("comment");
        cancellation.putNull("feedback");
        cancellation.putNull("reason");
        s.put("collection_method", "charge_automatically");
        s.put("created", now);
        s.put("currency", currency);
        s.put("customer", customer);
        s.putNull("days_until_due");
        s.putNull("default_payment_method");
        s.putNull("default_source");
        s.putArray("default_tax_rates");
        s.putNull("description");
        s.putArray("discounts");
        s.putNull("ended_at");
        ObjectNode invoiceSettings = s.putObject("invoice_settings");
        invoiceSettings.putNull("account_tax_ids");
        invoiceSettings.putObject("issuer").put("type", "self");
        s.set("items", StripeJson.list("/v1/subscription_items?subscription=" + id, StripeJson.array(), false));
        s.putNull("latest_invoice");
        s.put("livemode", false);
        s.putObject("metadata");
        s.putNull("next_pending_invoice_item_invoice");
        s.putNull("on_behalf_of");
        s.putNull("pause_collection");
        ObjectNode payment = s.putObject("payment_settings");
        payment.putNull("payment_method_options");
        payment.putNull("payment_method_types");
        payment.put("save_default_payment_method", "off");
        s.putNull("pending_invoice_item_interval");
        s.putNull("pending_setup_intent");
        s.putNull("pending_update");
        s.putNull("schedule");
        s.put("start_date", now);
        s.put("status", "incomplete");
        s.putNull("test_clock");
        s.putNull("transfer_data");
        s.putNull("trial_end");
        s.putObject("trial_settings").putObject("end_behavior").put("missing_payment_method", "create_invoice");
        s.putNull("trial_start");
        return s;
    }
}
