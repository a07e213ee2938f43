package com.anythingagents.stripe.emulator;

import tools.jackson.databind.node.ObjectNode;

/** One subscription line to bill: which item, how many units, for what period. */
record InvoiceLine(ObjectNode item, long quantity, long amount, long periodStart, long periodEnd, String description) {

    ObjectNode toJson(String invoiceId, String currency) {
        ObjectNode l = StripeJson.object();
        l.put("id", Ids.next("il"));
        l.put("object", "line_item");
        l.put("amount", amount);
        l.put("currency", currency);
        l.put("description", description);
        l.putArray("discount_amounts");
        l.put("discountable", true);
        l.putArray("discounts");
        l.put("invoice", invoiceId);
        l.put("livemode", false);
        l.putObject("metadata");
        ObjectNode parent = l.putObject("parent");
        parent.putNull("invoice_item_details");
        ObjectNode details = parent.putObject("subscription_item_details");
        details.putNull("invoice_item");
        details.put("proration", false);
        details.putNull("proration_details");
        details.put("subscription", item.get("subscription").asString());
        details.put("subscription_item", item.get("id").asString());
        parent.put("type", "subscription_item_details");
        ObjectNode period = l.putObject("period");
        period.put("end", periodEnd);
        period.put("start", periodStart);
        l.putArray("pretax_credit_amounts");
        ObjectNode pricing = l.putObject("pricing");
        ObjectNode priceDetails = pricing.putObject("price_details");
        priceDetails.put("price", item.path("price").path("id").asString());
        priceDetails.put("product", item.path("price").path("product").asString());
        pricing.put("type", "price_details");
        pricing.put(
                "unit_amount_decimal",
                item.path("price").path("unit_amount_decimal").asString());
        l.put("quantity", quantity);
        l.putNull("quantity_decimal");
        l.put("subtotal", amount);
        l.putArray("taxes");
        return l;
    }
}
