package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventParser;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Subscription events in the 2026-07-29.dahlia shape (period on the item), built for a test. */
final class SubscriptionEventJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SubscriptionEventJson() {}

    /** An active subscription of one item; adjust it with {@code put} before wrapping it in an event. */
    static ObjectNode subscription(String id, String tenant, String customer, String priceId, long created) {
        ObjectNode s = JSON.createObjectNode();
        s.put("id", id);
        s.put("object", "subscription");
        s.put("customer", customer);
        s.put("status", "active");
        s.put("created", created);
        s.put("cancel_at_period_end", false);
        s.putNull("canceled_at");
        s.putNull("ended_at");
        s.putNull("trial_end");
        s.putObject("metadata").put("tenant_id", tenant);
        ObjectNode items = s.putObject("items");
        items.put("object", "list");
        items.put("has_more", false);
        ObjectNode item = items.putArray("data").addObject();
        item.put("id", "si_" + id);
        item.put("object", "subscription_item");
        item.put("quantity", 1);
        item.put("current_period_start", created);
        item.put("current_period_end", created + 30 * 86_400);
        item.putObject("price").put("id", priceId).put("object", "price");
        return s;
    }

    static ObjectNode item(ObjectNode subscription) {
        return (ObjectNode) subscription.path("items").path("data").path(0);
    }

    static StripeEvent event(String id, String type, long created, ObjectNode object) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", id);
        event.put("object", "event");
        event.put("type", type);
        event.put("created", created);
        event.put("api_version", "2026-07-29.dahlia");
        event.put("livemode", false);
        event.putObject("data").set("object", object.deepCopy());
        return StripeEventParser.parse(event);
    }
}
