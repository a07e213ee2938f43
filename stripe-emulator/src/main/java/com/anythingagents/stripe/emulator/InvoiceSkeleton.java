package com.anythingagents.stripe.emulator;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A draft invoice in the 2026-07-29.dahlia shape (subscription under {@code parent}). */
final class InvoiceSkeleton {

    private InvoiceSkeleton() {}

    static ObjectNode draft(
            String id,
            ObjectNode sub,
            ObjectNode customer,
            String reason,
            List<InvoiceLine> lines,
            long periodStart,
            long periodEnd,
            long now,
            long startingBalance) {
        String currency = sub.get("currency").asString();
        ArrayNode data = StripeJson.array();
        lines.forEach(l -> data.add(l.toJson(id, currency)));
        long total = lines.stream().mapToLong(InvoiceLine::amount).sum();
        // a credit balance (negative) reduces what is due; what is left of it stays with the customer
        long due = Math.max(0, total + startingBalance);
        ObjectNode i = StripeJson.object();
        i.put("id", id);
        i.put("object", "invoice");
        i.put("account_country", "US");
        i.putNull("account_name");
        i.put("amount_due", due);
        i.put("amount_overpaid", 0);
        i.put("amount_paid", 0);
        i.put("amount_remaining", due);
        i.put("amount_shipping", 0);
        i.putNull("application");
        i.put("attempt_count", 0);
        i.put("attempted", false);
        i.put("auto_advance", true);
        ObjectNode tax = i.putObject("automatic_tax");
        tax.put("enabled", false);
        tax.putNull("liability");
        tax.putNull("status");
        i.put("billing_reason", reason);
        i.put("collection_method", "charge_automatically");
        i.put("created", now);
        i.put("currency", currency);
        i.put("customer", sub.get("customer").asString());
        i.set("customer_email", customer.get("email"));
        i.set("customer_name", customer.get("name"));
        i.putArray("default_tax_rates");
        i.putNull("description");
        i.putArray("discounts");
        i.putNull("due_date");
        i.putNull("effective_at");
        i.putNull("ending_balance");
        i.putNull("hosted_invoice_url");
        i.putNull("invoice_pdf");
        i.putObject("issuer").put("type", "self");
        i.putNull("last_finalization_error");
        i.set("lines", StripeJson.list("/v1/invoices/" + id + "/lines", data, false));
        i.put("livemode", false);
        i.putObject("metadata");
        i.putNull("next_payment_attempt");
        i.putNull("number");
        ObjectNode parent = i.putObject("parent");
        parent.putNull("quote_details");
        ObjectNode details = parent.putObject("subscription_details");
        details.set("metadata", sub.get("metadata").deepCopy());
        details.put("subscription", sub.get("id").asString());
        parent.put("type", "subscription_details");
        i.put("period_end", periodEnd);
        i.put("period_start", periodStart);
        i.put("starting_balance", startingBalance);
        i.put("status", "draft");
        ObjectNode transitions = i.putObject("status_transitions");
        List.of("finalized_at", "marked_uncollectible_at", "paid_at", "voided_at")
                .forEach(transitions::putNull);
        i.put("subscription", sub.get("id").asString());
        i.put("subtotal", total);
        i.put("subtotal_excluding_tax", total);
        i.putNull("test_clock");
        i.put("total", total);
        i.putArray("total_discount_amounts");
        i.put("total_excluding_tax", total);
        i.putArray("total_pretax_credit_amounts");
        i.putArray("total_taxes");
        i.putNull("webhooks_delivered_at");
        return i;
    }
}
