package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Subscription items live inside their subscription; these are the helpers and read routes. */
final class SubscriptionItems {

    private final Emulation emu;

    SubscriptionItems(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("GET", "/v1/subscription_items", r -> {
                    ObjectNode sub = emu.store().require("subscription", r.requireString("subscription"));
                    List<ObjectNode> items = new ArrayList<>(of(sub));
                    java.util.Collections.reverse(items); // ListPage shows newest first; items keep creation order
                    return ListPage.of(r, items, "/v1/subscription_items");
                })
                .route("GET", "/v1/subscription_items/{id}", r -> find(r.pathParam("id")));
    }

    ObjectNode find(String itemId) {
        for (ObjectNode sub : emu.store().all("subscription")) {
            for (ObjectNode item : of(sub)) {
                if (item.get("id").asString().equals(itemId)) {
                    return item;
                }
            }
        }
        throw StripeException.notFound("subscription_item", itemId);
    }

    static List<ObjectNode> of(ObjectNode subscription) {
        List<ObjectNode> items = new ArrayList<>();
        subscription.path("items").path("data").forEach(i -> items.add((ObjectNode) i));
        return items;
    }

    static ArrayNode data(ObjectNode subscription) {
        return (ArrayNode) subscription.get("items").get("data");
    }

    /** The price is embedded in full, as Stripe always does for subscription items. */
    ObjectNode create(String subscriptionId, String priceId, JsonNode quantity, long start, long end) {
        ObjectNode price = emu.store().require("price", priceId);
        if (!price.path("recurring").isObject()) {
            throw StripeException.invalid(
                    "items[0][price]",
                    "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.");
        }
        boolean metered =
                "metered".equals(price.path("recurring").path("usage_type").asString());
        ObjectNode item = StripeJson.object();
        item.put("id", Ids.next("si"));
        item.put("object", "subscription_item");
        item.putNull("billing_thresholds");
        item.put("created", emu.now());
        item.put("current_period_end", end);
        item.put("current_period_start", start);
        item.putArray("discounts");
        item.putObject("metadata");
        item.set("price", price.deepCopy());
        if (metered) {
            if (quantity != null) {
                throw StripeException.invalid("items[0][quantity]", "Quantity cannot be set for metered prices.");
            }
        } else {
            item.put("quantity", quantity == null ? 1 : ApiRequest.parseLong("quantity", quantity.asString()));
        }
        item.put("subscription", subscriptionId);
        item.putArray("tax_rates");
        return item;
    }

    static boolean metered(ObjectNode item) {
        return "metered"
                .equals(item.path("price").path("recurring").path("usage_type").asString());
    }
}
