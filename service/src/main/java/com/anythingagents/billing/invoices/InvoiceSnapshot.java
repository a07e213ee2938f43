package com.anythingagents.billing.invoices;

import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The fields of a Stripe invoice this service keeps; amounts in minor units of {@code currency}. */
record InvoiceSnapshot(
        String id,
        String customerId,
        String subscriptionId,
        String number,
        String status,
        String currency,
        long amountDue,
        long amountPaid,
        long amountRemaining,
        long total,
        int attemptCount,
        String hostedInvoiceUrl,
        String invoicePdf,
        Instant periodStart,
        Instant periodEnd,
        Instant finalizedAt) {

    static InvoiceSnapshot from(JsonNode i) {
        JsonNode customer = i.path("customer");
        Period period = Period.of(i);
        return new InvoiceSnapshot(
                i.path("id").asString(),
                customer.isObject() ? customer.path("id").asString() : customer.asString(),
                // since API 2025-03-31.basil the subscription is under parent.subscription_details
                text(i.path("parent").path("subscription_details").path("subscription"))
                        .orElseGet(() -> text(i.path("subscription")).orElse(null)),
                i.path("number").asString(null),
                i.path("status").asString(),
                i.path("currency").asString(),
                i.path("amount_due").asLong(0),
                i.path("amount_paid").asLong(0),
                i.path("amount_remaining").asLong(0),
                i.path("total").asLong(0),
                i.path("attempt_count").asInt(0),
                i.path("hosted_invoice_url").asString(null),
                i.path("invoice_pdf").asString(null),
                period.start(),
                period.end(),
                epoch(i.path("status_transitions").path("finalized_at")));
    }

    private static Optional<String> text(JsonNode node) {
        if (node.isObject()) {
            return Optional.ofNullable(node.path("id").asString(null));
        }
        return node.isString() ? Optional.of(node.asString()) : Optional.empty();
    }

    static Instant epoch(JsonNode seconds) {
        return seconds.isIntegralNumber() ? Instant.ofEpochSecond(seconds.asLong()) : null;
    }

    /**
     * The service period the invoice bills. For subscription invoices Stripe's own
     * {@code period_start/end} describe the period that just ended (when usage accrued), while the
     * lines carry the period being paid for, so the lines win; invoices without dated lines fall
     * back to {@code period_start/end}.
     */
    private record Period(Instant start, Instant end) {

        static Period of(JsonNode invoice) {
            Long start = null;
            Long end = null;
            for (JsonNode line : invoice.path("lines").path("data")) {
                JsonNode period = line.path("period");
                if (period.path("start").isIntegralNumber()
                        && period.path("end").isIntegralNumber()) {
                    start = start == null
                            ? period.path("start").asLong()
                            : Math.min(start, period.path("start").asLong());
                    end = end == null
                            ? period.path("end").asLong()
                            : Math.max(end, period.path("end").asLong());
                }
            }
            if (start == null) {
                return new Period(epoch(invoice.path("period_start")), epoch(invoice.path("period_end")));
            }
            return new Period(Instant.ofEpochSecond(start), Instant.ofEpochSecond(end));
        }
    }
}
