package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Checkout Session's {@code line_items[n][price]}/{@code [quantity]} checked as Stripe checks
 * them in subscription mode, turned into {@code item} objects: existing active recurring prices,
 * one currency and one interval, a quantity for licensed prices and none for metered ones.
 */
final class CheckoutLineItems {

    private CheckoutLineItems() {}

    static List<ObjectNode> from(Store store, ApiRequest request) {
        JsonNode given = request.node("line_items")
                .filter(n -> n.isArray() && !n.isEmpty())
                .orElseThrow(() -> StripeException.missing("line_items"));
        List<ObjectNode> items = new ArrayList<>();
        for (int n = 0; n < given.size(); n++) {
            String where = "line_items[" + n + "]";
            ObjectNode item = item(store, given.get(n), where);
            if (!items.isEmpty()) {
                sameTerms(items.get(0).path("price"), item.path("price"), where);
            }
            items.add(item);
        }
        return items;
    }

    private static ObjectNode item(Store store, JsonNode line, String where) {
        if (line.has("price_data")) {
            throw StripeException.invalid(
                    where + "[price_data]", "The Stripe emulator needs an existing price: pass " + where + "[price].");
        }
        String priceId = line.path("price").asString("");
        if (priceId.isEmpty()) {
            throw StripeException.missing(where + "[price]");
        }
        ObjectNode price = store.require("price", priceId);
        if (!price.path("active").asBoolean(true)) {
            throw StripeException.invalid(
                    where + "[price]", "The price specified is inactive. This field only accepts active prices.");
        }
        if (!price.path("recurring").isObject()) {
            throw StripeException.invalid(
                    where + "[price]", "The Stripe emulator supports recurring prices only in `subscription` mode.");
        }
        ObjectNode metadata = line.path("metadata") instanceof ObjectNode m ? m.deepCopy() : StripeJson.object();
        return CheckoutSessionSkeleton.lineItem(
                price, quantity(price, line, where), Products.nameOf(store, price), metadata);
    }

    /** Licensed prices need a quantity of at least 1; metered prices must not have one. */
    private static Long quantity(ObjectNode price, JsonNode line, String where) {
        boolean metered =
                "metered".equals(price.path("recurring").path("usage_type").asString());
        if (metered) {
            if (line.has("quantity")) {
                throw StripeException.invalid(
                        where + "[quantity]",
                        "Quantity should not be specified where usage_type is `metered`. Remove quantity from `" + where
                                + "`.");
            }
            return null;
        }
        if (!line.has("quantity")) {
            throw StripeException.missing(where + "[quantity]");
        }
        long quantity =
                ApiRequest.parseLong(where + "[quantity]", line.get("quantity").asString());
        if (quantity < 1) {
            throw StripeException.invalid(where + "[quantity]", "Quantity must be at least 1.");
        }
        return quantity;
    }

    private static void sameTerms(JsonNode first, JsonNode price, String where) {
        if (!first.path("currency").equals(price.path("currency"))) {
            throw StripeException.invalid(where + "[price]", "All line items must use the same currency.");
        }
        JsonNode a = first.path("recurring");
        JsonNode b = price.path("recurring");
        if (!a.path("interval").equals(b.path("interval"))
                || !a.path("interval_count").equals(b.path("interval_count"))) {
            throw StripeException.invalid(
                    where + "[price]",
                    "All prices on a subscription must have the same `recurring.interval` and `recurring.interval_count`.");
        }
    }
}
