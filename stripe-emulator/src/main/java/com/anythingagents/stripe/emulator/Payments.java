package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Charges open invoices. A decline armed with {@code fail_next_payment} is consumed by the next
 * charge of that customer; the invoice then stays open with {@code attempt_count} incremented.
 */
final class Payments {

    private final Emulation emu;
    private final Charges charges;

    Payments(Emulation emu, Charges charges) {
        this.emu = emu;
        this.charges = charges;
    }

    void armFailure(String customerId, String declineCode) {
        emu.store().require("customer", customerId);
        ObjectNode armed = StripeJson.object();
        armed.put("decline_code", declineCode);
        emu.store().put("_fail_next", customerId, armed);
    }

    /** Consumes a decline armed for this customer, if any (a Checkout payment is a charge too). */
    Optional<String> takeArmedFailure(String customerId) {
        Optional<ObjectNode> armed = emu.store().find("_fail_next", customerId);
        armed.ifPresent(a -> emu.store().remove("_fail_next", customerId));
        return armed.map(a -> a.get("decline_code").asString());
    }

    /** Returns true when the invoice ended up paid. */
    boolean pay(ObjectNode invoice) {
        if (!"open".equals(invoice.get("status").asString())) {
            throw StripeException.invalid(
                    null, "Invoice is already " + invoice.get("status").asString() + ".");
        }
        String customer = invoice.get("customer").asString();
        long amount = invoice.get("amount_remaining").asLong();
        Optional<ObjectNode> subscription =
                emu.store().find("subscription", invoice.path("subscription").asString());
        if (amount == 0) {
            markPaid(invoice);
            subscription.ifPresent(s -> settle(s, true));
            return true;
        }
        invoice.put("attempt_count", invoice.get("attempt_count").asLong() + 1);
        invoice.put("attempted", true);
        Optional<ObjectNode> armed = emu.store().find("_fail_next", customer);
        armed.ifPresent(a -> emu.store().remove("_fail_next", customer));
        ObjectNode charge =
                charges.create(invoice, armed.map(a -> a.get("decline_code").asString()));
        if (armed.isPresent()) {
            invoice.put("next_payment_attempt", emu.now() + 3 * 86_400);
            emu.events().emit("charge.failed", charge);
            emu.events().emit("invoice.payment_failed", invoice);
            subscription.ifPresent(s -> settle(s, false));
            return false;
        }
        emu.events().emit("charge.succeeded", charge);
        markPaid(invoice);
        subscription.ifPresent(s -> settle(s, true));
        return true;
    }

    private void markPaid(ObjectNode invoice) {
        invoice.put("amount_paid", invoice.get("amount_due").asLong());
        invoice.put("amount_remaining", 0);
        invoice.put("status", "paid");
        invoice.putNull("next_payment_attempt");
        ((ObjectNode) invoice.get("status_transitions")).put("paid_at", emu.now());
        emu.events().emit("invoice.paid", invoice);
        emu.events().emit("invoice.payment_succeeded", invoice);
    }

    /** Moves the subscription with its payment: a failure makes it incomplete or past_due. */
    private void settle(ObjectNode sub, boolean paid) {
        String status = sub.get("status").asString();
        String next = status;
        if (paid && (status.equals("past_due") || status.equals("incomplete") || status.equals("unpaid"))) {
            next = "active";
        } else if (!paid && status.equals("active")) {
            next = sub.get("created").asLong() == emu.now() && isFirstInvoice(sub) ? "incomplete" : "past_due";
        }
        if (!next.equals(status)) {
            ObjectNode before = sub.deepCopy();
            sub.put("status", next);
            emu.events().emit("customer.subscription.updated", sub, Events.previousAttributes(before, sub));
        }
    }

    private boolean isFirstInvoice(ObjectNode sub) {
        return emu.store().all("invoice").stream()
                        .filter(i -> sub.get("id")
                                .asString()
                                .equals(i.path("subscription").asString()))
                        .count()
                == 1;
    }
}
