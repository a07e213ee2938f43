package com.anythingagents.stripe.emulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Stripe's proration for a mid-period change of a licensed item: a credit for the unused time on
 * what was billed and a charge for the remaining time on what replaces it, each the full-period
 * amount times the remaining share of the period, rounded to the nearest minor unit. Metered
 * items are billed in arrears and never prorated; nothing is prorated during a trial.
 */
final class Prorations {

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final List<String> BILLED = List.of("active", "past_due", "unpaid");

    /** What one item was billed for, or will be: a price snapshot and a quantity. */
    record Side(ObjectNode price, long quantity) {}

    /** One item's change; {@code before} is null for an added item, {@code after} for a removed one. */
    record Change(String subscriptionItem, long periodStart, long periodEnd, Side before, Side after) {}

    /** One proration line before it becomes an invoice item. */
    record Line(
            String subscriptionItem,
            ObjectNode price,
            long quantity,
            long amount,
            long periodStart,
            long periodEnd,
            String description,
            JsonNode creditedItems) {

        String unitAmountDecimal() {
            return quantity == 0
                    ? "0"
                    : BigDecimal.valueOf(amount)
                            .divide(BigDecimal.valueOf(quantity), 12, RoundingMode.HALF_UP)
                            .stripTrailingZeros()
                            .toPlainString();
        }
    }

    private final Emulation emu;

    Prorations(Emulation emu) {
        this.emu = emu;
    }

    /** The lines for these changes at {@code date}; empty when the subscription was not billed for the period. */
    List<Line> lines(ObjectNode sub, List<Change> changes, long date) {
        List<Line> lines = new ArrayList<>();
        if (!BILLED.contains(sub.get("status").asString())) {
            return lines;
        }
        for (Change c : changes) {
            if (date >= c.periodEnd() || same(c.before(), c.after())) {
                continue;
            }
            if (licensed(c.before())) {
                long amount = -prorate(c.before(), c, date);
                if (amount != 0) {
                    lines.add(new Line(
                            c.subscriptionItem(),
                            c.before().price(),
                            c.before().quantity(),
                            amount,
                            date,
                            c.periodEnd(),
                            "Unused time on " + label(c.before()) + " after " + DAY.format(Instant.ofEpochSecond(date)),
                            creditedItems(sub, c.subscriptionItem())));
                }
            }
            if (licensed(c.after())) {
                long amount = prorate(c.after(), c, date);
                if (amount != 0) {
                    lines.add(new Line(
                            c.subscriptionItem(),
                            c.after().price(),
                            c.after().quantity(),
                            amount,
                            date,
                            c.periodEnd(),
                            "Remaining time on " + label(c.after()) + " after "
                                    + DAY.format(Instant.ofEpochSecond(date)),
                            StripeJson.NODES.nullNode()));
                }
            }
        }
        return lines;
    }

    /** Full-period amount × remaining share, rounded half up on the magnitude so credit and charge mirror. */
    private static long prorate(Side side, Change c, long date) {
        BigDecimal full = new BigDecimal(
                        side.price().path("unit_amount_decimal").asString("0"))
                .multiply(BigDecimal.valueOf(side.quantity()));
        return full.multiply(BigDecimal.valueOf(c.periodEnd() - date))
                .divide(BigDecimal.valueOf(c.periodEnd() - c.periodStart()), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    private static boolean licensed(Side side) {
        return side != null
                && "licensed"
                        .equals(side.price()
                                .path("recurring")
                                .path("usage_type")
                                .asString("licensed"));
    }

    private static boolean same(Side a, Side b) {
        return a != null
                && b != null
                && a.quantity() == b.quantity()
                && a.price().get("id").equals(b.price().get("id"));
    }

    private String label(Side side) {
        String product = Products.nameOf(emu.store(), side.price());
        return side.quantity() == 1 ? product : side.quantity() + " × " + product;
    }

    /** The invoice line that billed this item last: what the credit gives back. */
    private JsonNode creditedItems(ObjectNode sub, String subscriptionItem) {
        List<ObjectNode> invoices = emu.store().all("invoice");
        for (int i = invoices.size() - 1; i >= 0; i--) {
            ObjectNode invoice = invoices.get(i);
            if (!sub.get("id").asString().equals(invoice.path("subscription").asString())) {
                continue;
            }
            for (JsonNode line : invoice.path("lines").path("data")) {
                JsonNode details = line.path("parent").path("subscription_item_details");
                if (subscriptionItem.equals(details.path("subscription_item").asString(null))
                        && !details.path("proration").asBoolean()) {
                    ObjectNode credited = StripeJson.object();
                    credited.put("invoice", invoice.get("id").asString());
                    credited.putArray("invoice_line_items")
                            .add(StringNode.valueOf(line.get("id").asString()));
                    return credited;
                }
            }
        }
        return StripeJson.NODES.nullNode();
    }
}
