package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/subscriptions}: create (with trial), retrieve, update (with prorations), cancel, list. */
final class Subscriptions {

    private static final List<String> PRORATION_BEHAVIORS = List.of("create_prorations", "none", "always_invoice");

    private final Emulation emu;
    private final SubscriptionItems items;
    private final Invoicing invoicing;
    private final Prorations prorations;
    private final InvoiceItems invoiceItems;

    Subscriptions(
            Emulation emu,
            SubscriptionItems items,
            Invoicing invoicing,
            Prorations prorations,
            InvoiceItems invoiceItems) {
        this.emu = emu;
        this.items = items;
        this.invoicing = invoicing;
        this.prorations = prorations;
        this.invoiceItems = invoiceItems;
    }

    void register(Router router) {
        router.route("POST", "/v1/subscriptions", this::create)
                .route("GET", "/v1/subscriptions", this::list)
                .route("GET", "/v1/subscriptions/{id}", r -> emu.store().require("subscription", r.pathParam("id")))
                .route("POST", "/v1/subscriptions/{id}", this::update)
                .route(
                        "DELETE",
                        "/v1/subscriptions/{id}",
                        r -> cancel(emu.store().require("subscription", r.pathParam("id"))));
    }

    /** Also how a completed Checkout Session creates its subscription. */
    ObjectNode create(ApiRequest request) {
        String customer = request.requireString("customer");
        emu.store().require("customer", customer);
        JsonNode given = request.node("items")
                .filter(n -> n.isArray() && !n.isEmpty())
                .orElseThrow(() -> StripeException.missing("items"));
        long now = emu.now();
        ObjectNode firstPrice =
                emu.store().require("price", given.get(0).path("price").asString());
        Long trialEnd = trialEnd(request, now);
        long periodEnd = trialEnd != null ? trialEnd : Periods.end(now, firstPrice.path("recurring"));
        ObjectNode sub = SubscriptionSkeleton.create(
                Ids.next("sub"), customer, now, firstPrice.get("currency").asString());
        for (JsonNode item : given) {
            SubscriptionItems.data(sub)
                    .add(items.create(
                            sub.get("id").asString(),
                            item.path("price").asString(),
                            item.get("quantity"),
                            now,
                            periodEnd));
        }
        sub.put("billing_cycle_anchor", trialEnd != null ? trialEnd : now);
        sub.put("status", trialEnd != null ? "trialing" : "active");
        if (trialEnd != null) {
            sub.put("trial_start", now);
            sub.put("trial_end", trialEnd);
        }
        Metadata.copyStrings(sub, request, "description", "default_payment_method");
        Metadata.apply(sub, request);
        request.string("proration_behavior").ifPresent(this::checkProrationBehavior);
        String invoiceId = Ids.next("in");
        sub.put("latest_invoice", invoiceId);
        emu.store().put(sub);
        emu.events().emit("customer.subscription.created", sub);
        invoicing.firstInvoice(sub, invoiceId, trialEnd != null);
        return sub;
    }

    private Long trialEnd(ApiRequest request, long now) {
        if (request.string("trial_end").isPresent()
                && !"now".equals(request.string("trial_end").get())) {
            long end = request.integer("trial_end").get();
            if (end <= now) {
                throw StripeException.invalid(
                        "trial_end", "Invalid timestamp: must be an integer Unix timestamp in the future.");
            }
            return end;
        }
        return request.integer("trial_period_days")
                .filter(d -> d > 0)
                .map(d -> now + d * 86_400)
                .orElse(null);
    }

    private void checkProrationBehavior(String behavior) {
        if (!PRORATION_BEHAVIORS.contains(behavior)) {
            throw StripeException.invalid("proration_behavior", "Invalid proration_behavior: " + behavior);
        }
    }

    /**
     * Price and quantity changes apply at once. With {@code proration_behavior=create_prorations}
     * (the default) the unused and remaining time of changed licensed items become pending invoice
     * items for the next invoice; {@code always_invoice} invoices (and pays) them now; {@code none}
     * creates nothing. Also how the billing portal switches plans and cancels.
     */
    ObjectNode update(ApiRequest request) {
        ObjectNode sub = emu.store().require("subscription", request.pathParam("id"));
        if ("canceled".equals(sub.get("status").asString())) {
            throw StripeException.invalid(
                    null, "A canceled subscription can only update its cancellation_details and metadata.");
        }
        ObjectNode before = sub.deepCopy();
        String behavior = request.string("proration_behavior").orElse("create_prorations");
        checkProrationBehavior(behavior);
        long prorationDate = prorationDate(request, sub);
        List<Prorations.Change> changes = new ArrayList<>();
        request.node("items")
                .filter(JsonNode::isArray)
                .ifPresent(given -> given.forEach(i -> changes.add(updateItem(sub, i))));
        request.bool("cancel_at_period_end").ifPresent(atEnd -> {
            sub.put("cancel_at_period_end", atEnd);
            if (atEnd) {
                sub.put(
                        "cancel_at",
                        SubscriptionItems.of(sub)
                                .get(0)
                                .get("current_period_end")
                                .asLong());
            } else {
                sub.putNull("cancel_at");
            }
        });
        request.string("cancel_at").ifPresent(at -> {
            if (at.isEmpty()) {
                sub.putNull("cancel_at");
            } else {
                sub.put("cancel_at", ApiRequest.parseLong("cancel_at", at));
            }
        });
        Metadata.copyStrings(sub, request, "description", "default_payment_method");
        Metadata.apply(sub, request);
        List<Prorations.Line> lines =
                "none".equals(behavior) ? List.of() : prorations.lines(before, changes, prorationDate);
        String invoiceId = null;
        if ("always_invoice".equals(behavior) && !lines.isEmpty()) {
            invoiceId = Ids.next("in");
            sub.put("latest_invoice", invoiceId);
        }
        ObjectNode previous = Events.previousAttributes(before, sub);
        if (!previous.isEmpty()) {
            emu.events().emit("customer.subscription.updated", sub, previous);
        }
        lines.forEach(line -> invoiceItems.createProration(line, sub));
        if (invoiceId != null) {
            invoicing.updateInvoice(sub, invoiceId);
        }
        return sub;
    }

    /** {@code proration_date} defaults to now and must fall inside the current period. */
    private long prorationDate(ApiRequest request, ObjectNode sub) {
        long date = request.integer("proration_date").orElse(emu.now());
        ObjectNode first = SubscriptionItems.of(sub).get(0);
        if (date < first.get("current_period_start").asLong()
                || date > first.get("current_period_end").asLong()) {
            throw StripeException.invalid(
                    "proration_date", "proration_date must be within the subscription's current billing period.");
        }
        return date;
    }

    /** Applies one {@code items[n]} entry and says what it changed, for prorations. */
    private Prorations.Change updateItem(ObjectNode sub, JsonNode given) {
        var data = SubscriptionItems.data(sub);
        ObjectNode first = SubscriptionItems.of(sub).get(0);
        long start = first.get("current_period_start").asLong();
        long end = first.get("current_period_end").asLong();
        if (!given.has("id")) {
            ObjectNode added = items.create(
                    sub.get("id").asString(), given.path("price").asString(), given.get("quantity"), start, end);
            data.add(added);
            return new Prorations.Change(added.get("id").asString(), start, end, null, side(added));
        }
        String id = given.get("id").asString();
        for (int i = 0; i < data.size(); i++) {
            ObjectNode item = (ObjectNode) data.get(i);
            if (!item.get("id").asString().equals(id)) {
                continue;
            }
            Prorations.Side old = side(item);
            if ("true".equals(given.path("deleted").asString())) {
                data.remove(i);
                return new Prorations.Change(id, start, end, old, null);
            }
            if (given.has("price")) {
                ObjectNode price =
                        emu.store().require("price", given.get("price").asString());
                if (!price.path("recurring").isObject()) {
                    throw StripeException.invalid(
                            "items[0][price]",
                            "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.");
                }
                item.set("price", price.deepCopy());
            }
            if (given.has("quantity") && !SubscriptionItems.metered(item)) {
                item.put(
                        "quantity",
                        ApiRequest.parseLong("quantity", given.get("quantity").asString()));
            }
            Metadata.apply(
                    item,
                    ApiRequest.internal(
                            "", java.util.Map.of(), given instanceof ObjectNode o ? o : StripeJson.object()));
            return new Prorations.Change(id, start, end, old, side(item));
        }
        throw StripeException.invalid("items", "No such subscription item: '" + id + "'");
    }

    private static Prorations.Side side(ObjectNode item) {
        return new Prorations.Side(
                (ObjectNode) item.get("price").deepCopy(), item.path("quantity").asLong(0));
    }

    ObjectNode cancel(ObjectNode sub) {
        if ("canceled".equals(sub.get("status").asString())) {
            return sub;
        }
        long now = emu.now();
        sub.put("status", "canceled");
        sub.put("canceled_at", now);
        sub.put("ended_at", now);
        ((ObjectNode) sub.get("cancellation_details")).put("reason", "cancellation_requested");
        emu.events().emit("customer.subscription.deleted", sub);
        return sub;
    }

    void cancelAllOf(String customerId) {
        emu.store().all("subscription").stream()
                .filter(s -> s.get("customer").asString().equals(customerId))
                .forEach(this::cancel);
    }

    private ObjectNode list(ApiRequest request) {
        String status = request.string("status").orElse("");
        List<ObjectNode> rows = emu.store().all("subscription").stream()
                .filter(s -> request.string("customer")
                        .map(c -> c.equals(s.get("customer").asString()))
                        .orElse(true))
                .filter(s -> request.string("price")
                        .map(p -> SubscriptionItems.of(s).stream()
                                .anyMatch(
                                        i -> p.equals(i.path("price").path("id").asString())))
                        .orElse(true))
                .filter(s -> switch (status) {
                    case "all" -> true;
                    case "" -> !"canceled".equals(s.get("status").asString());
                    default -> status.equals(s.get("status").asString());
                })
                .toList();
        return ListPage.of(request, rows, "/v1/subscriptions");
    }
}
