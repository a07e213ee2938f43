package com.anythingagents.stripe.emulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds subscription invoices and walks them draft → open → paid (or failed, staying open). Every
 * invoice but the first picks up the subscription's pending invoice items (prorations), and the
 * customer's credit balance is applied at finalization, as in Stripe.
 */
final class Invoicing {

    private final Emulation emu;
    private final Meters meters;
    private final Payments payments;
    private final InvoiceItems invoiceItems;

    Invoicing(Emulation emu, Meters meters, Payments payments, InvoiceItems invoiceItems) {
        this.emu = emu;
        this.meters = meters;
        this.payments = payments;
        this.invoiceItems = invoiceItems;
    }

    /** At subscription start: licensed lines in advance, or a $0 invoice while trialing. */
    void firstInvoice(ObjectNode sub, String invoiceId, boolean trialing) {
        List<InvoiceLine> lines = new ArrayList<>();
        for (ObjectNode item : SubscriptionItems.of(sub)) {
            long start = item.get("current_period_start").asLong();
            long end = item.get("current_period_end").asLong();
            if (trialing) {
                lines.add(new InvoiceLine(
                        item,
                        item.path("quantity").asLong(0),
                        0,
                        start,
                        end,
                        "Trial period for " + productName(item.path("price"))));
            } else if (!SubscriptionItems.metered(item)) {
                lines.add(licensed(item, start, end));
            }
        }
        long now = emu.now();
        bill(sub, invoiceId, "subscription_create", lines, List.of(), now, now);
    }

    /**
     * At a period boundary: pending prorations, licensed lines for the new period and metered
     * lines for the closed one (usage during a trial is free, as in Stripe).
     */
    void cycleInvoice(ObjectNode sub, String invoiceId, long closedStart, long closedEnd, boolean closedWasTrial) {
        List<ObjectNode> pending = invoiceItems.pendingFor(sub.get("id").asString());
        List<InvoiceLine> lines = new ArrayList<>();
        pending.forEach(ii -> lines.add(InvoiceLine.of(ii)));
        for (ObjectNode item : SubscriptionItems.of(sub)) {
            if (SubscriptionItems.metered(item)) {
                if (!closedWasTrial) {
                    lines.add(metered(item, sub.get("customer").asString(), closedStart, closedEnd));
                }
            } else {
                lines.add(licensed(
                        item,
                        item.get("current_period_start").asLong(),
                        item.get("current_period_end").asLong()));
            }
        }
        bill(sub, invoiceId, "subscription_cycle", lines, pending, closedStart, closedEnd);
    }

    /** {@code proration_behavior=always_invoice}: the pending prorations, invoiced and paid now. */
    void updateInvoice(ObjectNode sub, String invoiceId) {
        List<ObjectNode> pending = invoiceItems.pendingFor(sub.get("id").asString());
        List<InvoiceLine> lines = pending.stream().map(InvoiceLine::of).toList();
        long now = emu.now();
        bill(sub, invoiceId, "subscription_update", lines, pending, now, now);
    }

    private void bill(
            ObjectNode sub,
            String invoiceId,
            String reason,
            List<InvoiceLine> lines,
            List<ObjectNode> pending,
            long start,
            long end) {
        ObjectNode customer =
                emu.store().require("customer", sub.get("customer").asString());
        long balance = customer.path("balance").asLong(0);
        ObjectNode invoice =
                InvoiceSkeleton.draft(invoiceId, sub, customer, reason, lines, start, end, emu.now(), balance);
        emu.store().put(invoice);
        invoiceItems.attach(pending, invoiceId);
        emu.events().emit("invoice.created", invoice);
        finalizeInvoice(invoice, customer);
        payments.pay(invoice);
    }

    private void finalizeInvoice(ObjectNode invoice, ObjectNode customer) {
        long sequence = customer.get("next_invoice_sequence").asLong();
        customer.put("next_invoice_sequence", sequence + 1);
        long remainingBalance = Math.min(
                0,
                invoice.get("total").asLong() + invoice.get("starting_balance").asLong());
        invoice.put("ending_balance", remainingBalance);
        customer.put("balance", remainingBalance);
        invoice.put("number", customer.get("invoice_prefix").asString() + "-" + String.format("%04d", sequence));
        invoice.put("status", "open");
        invoice.put("effective_at", emu.now());
        invoice.put(
                "hosted_invoice_url",
                emu.baseUrl().get() + "/invoices/" + invoice.get("id").asString());
        invoice.put(
                "invoice_pdf",
                emu.baseUrl().get() + "/invoices/" + invoice.get("id").asString() + "?format=pdf");
        ((ObjectNode) invoice.get("status_transitions")).put("finalized_at", emu.now());
        emu.events().emit("invoice.finalized", invoice);
    }

    private InvoiceLine licensed(ObjectNode item, long start, long end) {
        long quantity = item.path("quantity").asLong(1);
        long amount = item.path("price").path("unit_amount").asLong() * quantity;
        return new InvoiceLine(item, quantity, amount, start, end, quantity + " × " + productName(item.path("price")));
    }

    private InvoiceLine metered(ObjectNode item, String customer, long start, long end) {
        ObjectNode price = (ObjectNode) item.get("price");
        ObjectNode meter = emu.store()
                .require("billing.meter", price.path("recurring").path("meter").asString());
        BigDecimal usage = meters.usage(meter, customer, start, end);
        long quantity = usage.setScale(0, RoundingMode.HALF_UP).longValueExact();
        long amount = new BigDecimal(price.path("unit_amount_decimal").asString("0"))
                .multiply(usage)
                .setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
        return new InvoiceLine(item, quantity, amount, start, end, quantity + " × " + productName(price) + " (usage)");
    }

    private String productName(JsonNode price) {
        return Products.nameOf(emu.store(), price);
    }
}
