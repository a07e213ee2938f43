package com.anythingagents.stripe.emulator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One line to bill: a subscription item's units for a period, or a pending invoice item (a
 * proration) that the invoice picks up. {@code invoiceItem} is null for plain subscription lines.
 */
record InvoiceLine(
        ObjectNode item,
        long quantity,
        long amount,
        long periodStart,
        long periodEnd,
        String description,
        ObjectNode invoiceItem) {

    InvoiceLine(ObjectNode item, long quantity, long amount, long periodStart, long periodEnd, String description) {
        this(item, quantity, amount, periodStart, periodEnd, description, null);
    }

    /** A pending invoice item (e.g. a proration) as a line of the invoice that bills it. */
    static InvoiceLine of(ObjectNode invoiceItem) {
        return new InvoiceLine(
                null,
                invoiceItem.get("quantity").asLong(),
                invoiceItem.get("amount").asLong(),
                invoiceItem.path("period").path("start").asLong(),
                invoiceItem.path("period").path("end").asLong(),
                invoiceItem.path("description").asString(),
                invoiceItem);
    }

    ObjectNode toJson(String invoiceId, String currency) {
        ObjectNode l = StripeJson.object();
        l.put("id", Ids.next("il"));
        l.put("object", "line_item");
        l.put("amount", amount);
        l.put("currency", currency);
        l.put("description", description);
        l.putArray("discount_amounts");
        l.put("discountable", invoiceItem == null);
        l.putArray("discounts");
        l.put("invoice", invoiceId);
        l.put("livemode", false);
        l.putObject("metadata");
        ObjectNode parent = l.putObject("parent");
        parent.putNull("invoice_item_details");
        ObjectNode details = parent.putObject("subscription_item_details");
        if (invoiceItem == null) {
            details.putNull("invoice_item");
            details.put("proration", false);
            details.putNull("proration_details");
            details.put("subscription", item.get("subscription").asString());
            details.put("subscription_item", item.get("id").asString());
        } else {
            // Stripe shows a subscription's proration item as a subscription item line naming its invoice item
            ObjectNode from = (ObjectNode) invoiceItem.path("parent").path("subscription_details");
            details.put("invoice_item", invoiceItem.get("id").asString());
            details.put("proration", invoiceItem.path("proration").asBoolean());
            JsonNode credited =
                    invoiceItem.path("proration_details").path("credited_items").path("invoice_line_item_details");
            details.putObject("proration_details")
                    .set("credited_items", credited.isObject() ? credited.deepCopy() : StripeJson.NODES.nullNode());
            details.put("subscription", from.path("subscription").asString());
            details.put("subscription_item", from.path("subscription_item").asString());
        }
        parent.put("type", "subscription_item_details");
        ObjectNode period = l.putObject("period");
        period.put("end", periodEnd);
        period.put("start", periodStart);
        l.putArray("pretax_credit_amounts");
        if (invoiceItem == null) {
            ObjectNode pricing = l.putObject("pricing");
            ObjectNode priceDetails = pricing.putObject("price_details");
            priceDetails.put("price", item.path("price").path("id").asString());
            priceDetails.put("product", item.path("price").path("product").asString());
            pricing.put("type", "price_details");
            pricing.put(
                    "unit_amount_decimal",
                    item.path("price").path("unit_amount_decimal").asString());
        } else {
            l.set("pricing", invoiceItem.get("pricing").deepCopy());
        }
        l.put("quantity", quantity);
        l.putNull("quantity_decimal");
        l.put("subtotal", amount);
        l.putArray("taxes");
        return l;
    }
}
