package com.anythingagents.stripe.emulator;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/invoiceitems} (read-only here): the pending proration items a subscription change
 * leaves for the next invoice. An item is pending while its {@code invoice} is null.
 */
final class InvoiceItems {

    static final String TABLE = "invoiceitem";

    private final Emulation emu;

    InvoiceItems(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("GET", "/v1/invoiceitems", this::list)
                .route("GET", "/v1/invoiceitems/{id}", r -> emu.store().require(TABLE, r.pathParam("id")));
    }

    private ObjectNode list(ApiRequest request) {
        List<ObjectNode> rows = emu.store().values(TABLE).stream()
                .filter(i -> request.string("customer")
                        .map(c -> c.equals(i.path("customer").asString()))
                        .orElse(true))
                .filter(i -> request.string("invoice")
                        .map(id -> id.equals(i.path("invoice").asString(null)))
                        .orElse(true))
                .filter(i -> request.bool("pending")
                        .map(p -> p == i.path("invoice").isNull())
                        .orElse(true))
                .toList();
        return ListPage.of(request, rows, "/v1/invoiceitems");
    }

    /** Pending items of one subscription, oldest first. */
    List<ObjectNode> pendingFor(String subscriptionId) {
        return emu.store().values(TABLE).stream()
                .filter(i -> i.path("invoice").isNull())
                .filter(i -> subscriptionId.equals(i.path("parent")
                        .path("subscription_details")
                        .path("subscription")
                        .asString(null)))
                .toList();
    }

    void attach(List<ObjectNode> items, String invoiceId) {
        items.forEach(i -> i.put("invoice", invoiceId));
    }

    /** A proration item in the 2026-07-29.dahlia shape (subscription under {@code parent}). */
    ObjectNode createProration(Prorations.Line line, ObjectNode sub) {
        ObjectNode price = line.price();
        ObjectNode ii = StripeJson.object();
        ii.put("id", Ids.next("ii"));
        ii.put("object", "invoiceitem");
        ii.put("amount", line.amount());
        ii.put("currency", price.get("currency").asString());
        ii.put("customer", sub.get("customer").asString());
        ii.putNull("customer_account");
        ii.put("date", line.periodStart());
        ii.put("description", line.description());
        ii.put("discountable", false);
        ii.putArray("discounts");
        ii.putNull("invoice");
        ii.put("livemode", false);
        ii.putObject("metadata");
        ii.put("net_amount", line.amount());
        ObjectNode parent = ii.putObject("parent");
        ObjectNode details = parent.putObject("subscription_details");
        details.put("subscription", sub.get("id").asString());
        details.put("subscription_item", line.subscriptionItem());
        parent.put("type", "subscription_details");
        ObjectNode period = ii.putObject("period");
        period.put("end", line.periodEnd());
        period.put("start", line.periodStart());
        ObjectNode pricing = ii.putObject("pricing");
        ObjectNode priceDetails = pricing.putObject("price_details");
        priceDetails.put("price", price.get("id").asString());
        priceDetails.put("product", price.path("product").asString());
        pricing.put("type", "price_details");
        pricing.put("unit_amount_decimal", line.unitAmountDecimal());
        ii.put("proration", true);
        ObjectNode prorationDetails = ii.putObject("proration_details");
        if (line.creditedItems().isObject()) {
            // on the invoice item the credited line is wrapped by type (dahlia); invoice lines show it flat
            ObjectNode credited = prorationDetails.putObject("credited_items");
            credited.putNull("invoice_item");
            credited.set("invoice_line_item_details", line.creditedItems().deepCopy());
            credited.put("type", "invoice_line_item");
        } else {
            prorationDetails.putNull("credited_items");
        }
        prorationDetails.putArray("discount_amounts");
        ii.put("quantity", line.quantity());
        ii.put("quantity_decimal", Long.toString(line.quantity()));
        ii.putArray("tax_rates");
        ii.putNull("test_clock");
        emu.store().put(ii);
        emu.events().emit("invoiceitem.created", ii);
        return ii;
    }
}
