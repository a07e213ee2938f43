package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The billing portal at a portal session's {@code url}: the customer's subscriptions with plan,
 * price, status and period end, a plan switch among the active recurring licensed prices (with
 * prorations, Stripe's portal default), cancel at period end (the portal's default) or renew, and
 * a link back to {@code return_url}. Plain forms; each POST changes the subscription through the
 * same code as {@code POST /v1/subscriptions/{id}} and redirects back here.
 */
final class PortalPage {

    private static final List<String> SHOWN = List.of("trialing", "active", "past_due", "unpaid", "incomplete");
    private static final Map<String, String> NOTICES = Map.of(
            "updated", "Your plan was updated.",
            "canceled", "Your plan will be canceled at the end of the billing period.",
            "renewed", "Your plan will renew.");

    private final Emulation emu;
    private final Subscriptions subscriptions;

    PortalPage(Emulation emu, Subscriptions subscriptions) {
        this.emu = emu;
        this.subscriptions = subscriptions;
    }

    /** GET; caller holds the store lock. */
    Html.Result show(String sessionId, String notice) {
        ObjectNode session = emu.store().require("billing_portal.session", sessionId);
        return Html.Result.page(200, Html.page("Billing portal", body(session, NOTICES.get(notice))));
    }

    /** POST {@code /portal/{session}/subscriptions/{sub}/{action}}; caller holds the lock for writing. */
    Html.Result act(String sessionId, String subscriptionId, String action, ObjectNode form) {
        ObjectNode session = emu.store().require("billing_portal.session", sessionId);
        ObjectNode sub = emu.store().require("subscription", subscriptionId);
        if (!sub.get("customer").asString().equals(session.get("customer").asString())) {
            throw StripeException.notFound("subscription", subscriptionId);
        }
        ObjectNode params = StripeJson.object();
        String notice;
        switch (action) {
            case "update" -> {
                ObjectNode price = switchablePrice(sub, form.path("price").asString(""));
                ObjectNode item = params.putArray("items").addObject();
                item.put("id", licensedItem(sub).get("id").asString());
                item.put("price", price.get("id").asString());
                params.put("proration_behavior", "create_prorations");
                notice = "updated";
            }
            case "cancel" -> {
                params.put("cancel_at_period_end", "true");
                notice = "canceled";
            }
            case "renew" -> {
                params.put("cancel_at_period_end", "false");
                notice = "renewed";
            }
            default -> throw StripeException.notFound("portal action", action);
        }
        subscriptions.update(
                ApiRequest.internal("/v1/subscriptions/" + subscriptionId, Map.of("id", subscriptionId), params));
        return Html.Result.seeOther("/portal/" + sessionId + "?notice=" + notice);
    }

    private ObjectNode switchablePrice(ObjectNode sub, String priceId) {
        return switchablePrices(sub).stream()
                .filter(p -> p.get("id").asString().equals(priceId))
                .findFirst()
                .orElseThrow(() -> StripeException.invalid("price", "Choose one of the plans offered."));
    }

    /** Active recurring licensed prices of active products, in the subscription's currency and interval. */
    private List<ObjectNode> switchablePrices(ObjectNode sub) {
        JsonNode current = licensedItem(sub).path("price");
        return emu.store().values("price").stream()
                .filter(p -> p.path("active").asBoolean())
                .filter(p -> p.path("recurring").isObject())
                .filter(p ->
                        "licensed".equals(p.path("recurring").path("usage_type").asString()))
                .filter(p -> p.path("currency").equals(current.path("currency")))
                .filter(p -> p.path("recurring")
                        .path("interval")
                        .equals(current.path("recurring").path("interval")))
                .filter(p -> emu.store()
                        .find("product", p.path("product").asString())
                        .map(prod -> prod.path("active").asBoolean())
                        .orElse(false))
                .toList();
    }

    private static ObjectNode licensedItem(ObjectNode sub) {
        return SubscriptionItems.of(sub).stream()
                .filter(i -> !SubscriptionItems.metered(i))
                .findFirst()
                .orElseThrow(() -> StripeException.invalid(null, "This subscription has no plan to switch."));
    }

    private String body(ObjectNode session, String notice) {
        String customerId = session.get("customer").asString();
        ObjectNode customer = emu.store().find("customer", customerId).orElse(StripeJson.object());
        StringBuilder html = new StringBuilder("<h1>Billing</h1><p>")
                .append(Html.escape(
                        customer.path("name").asString(customer.path("email").asString(customerId))))
                .append("</p>");
        if (notice != null) {
            html.append("<p class=\"notice\" role=\"status\">")
                    .append(Html.escape(notice))
                    .append("</p>");
        }
        List<ObjectNode> subs = emu.store().values("subscription").stream()
                .filter(s -> customerId.equals(s.get("customer").asString()))
                .filter(s -> SHOWN.contains(s.get("status").asString()))
                .toList();
        if (subs.isEmpty()) {
            html.append("<p>You have no active subscriptions.</p>");
        }
        String base = "/portal/" + Html.escape(session.get("id").asString()) + "/subscriptions/";
        for (ObjectNode sub : subs) {
            html.append(subscription(sub, base + Html.escape(sub.get("id").asString())));
        }
        html.append(invoices(customerId));
        String back = session.path("return_url").asString(null);
        if (back != null) {
            html.append("<p><a href=\"").append(Html.escape(back)).append("\">Return to the site</a></p>");
        }
        return html.toString();
    }

    private String subscription(ObjectNode sub, String actions) {
        String id = sub.get("id").asString();
        ObjectNode plan = SubscriptionItems.of(sub).stream()
                .filter(i -> !SubscriptionItems.metered(i))
                .findFirst()
                .orElse(SubscriptionItems.of(sub).get(0));
        String name = Products.nameOf(emu.store(), plan.path("price"));
        long periodEnd = plan.path("current_period_end").asLong();
        StringBuilder html = new StringBuilder("<section aria-labelledby=\"h-")
                .append(Html.escape(id))
                .append("\"><h2 id=\"h-")
                .append(Html.escape(id))
                .append("\">")
                .append(Html.escape(name))
                .append("</h2><dl>");
        for (ObjectNode item : SubscriptionItems.of(sub)) {
            html.append("<dt>")
                    .append(Html.escape(Products.nameOf(emu.store(), item.path("price"))))
                    .append("</dt><dd>")
                    .append(Html.escape(Html.price(item.path("price"))))
                    .append(item.has("quantity") ? " × " + item.get("quantity").asLong() : "")
                    .append("</dd>");
        }
        html.append("<dt>Status</dt><dd class=\"status\">")
                .append(Html.escape(sub.get("status").asString()))
                .append("</dd><dt>")
                .append(sub.path("cancel_at_period_end").asBoolean() ? "Cancels on" : "Renews on")
                .append("</dt><dd>")
                .append(Html.date(periodEnd))
                .append("</dd>");
        paymentMethod(sub)
                .ifPresent(card -> html.append("<dt>Payment method</dt><dd>")
                        .append(Html.escape(card))
                        .append("</dd>"));
        html.append("</dl>");
        List<ObjectNode> prices = SubscriptionItems.of(sub).stream().anyMatch(i -> !SubscriptionItems.metered(i))
                ? switchablePrices(sub)
                : List.of();
        String current = plan.path("price").path("id").asString();
        if (prices.stream().anyMatch(p -> !p.get("id").asString().equals(current))) {
            html.append("<form method=\"post\" action=\"")
                    .append(actions)
                    .append("/update\"><label for=\"price-")
                    .append(Html.escape(id))
                    .append("\">Switch plan</label><select id=\"price-")
                    .append(Html.escape(id))
                    .append("\" name=\"price\">");
            for (ObjectNode p : prices) {
                String pid = p.get("id").asString();
                html.append("<option value=\"")
                        .append(Html.escape(pid))
                        .append("\"")
                        .append(pid.equals(current) ? " selected" : "")
                        .append(">")
                        .append(Html.escape(Products.nameOf(emu.store(), p) + " — " + Html.price(p)))
                        .append(pid.equals(current) ? " (current plan)" : "")
                        .append("</option>");
            }
            html.append("</select><button type=\"submit\">Update plan</button></form>");
        }
        if (sub.path("cancel_at_period_end").asBoolean()) {
            html.append("<form method=\"post\" action=\"")
                    .append(actions)
                    .append("/renew\"><button type=\"submit\">Renew plan</button></form>");
        } else {
            html.append("<form method=\"post\" action=\"")
                    .append(actions)
                    .append("/cancel\"><button type=\"submit\">Cancel plan</button></form>");
        }
        return html.append("</section>").toString();
    }

    private java.util.Optional<String> paymentMethod(ObjectNode sub) {
        return emu.store()
                .find("payment_method", sub.path("default_payment_method").asString(""))
                .map(pm -> pm.path("card").path("brand").asString() + " •••• "
                        + pm.path("card").path("last4").asString());
    }

    private String invoices(String customerId) {
        List<ObjectNode> invoices = emu.store().values("invoice").stream()
                .filter(i -> customerId.equals(i.path("customer").asString()))
                .filter(i -> !"draft".equals(i.path("status").asString()))
                .toList();
        if (invoices.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<section aria-labelledby=\"h-invoices\"><h2 id=\"h-invoices\">"
                + "Invoice history</h2><table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Amount</th>"
                + "<th scope=\"col\">Status</th></tr></thead><tbody>");
        for (int n = invoices.size() - 1; n >= 0 && n >= invoices.size() - 10; n--) {
            ObjectNode i = invoices.get(n);
            html.append("<tr><td><a href=\"")
                    .append(Html.escape(i.path("hosted_invoice_url").asString("")))
                    .append("\">")
                    .append(Html.date(i.path("created").asLong()))
                    .append("</a></td><td>")
                    .append(Html.money(
                            i.path("total").asLong(), i.path("currency").asString()))
                    .append("</td><td>")
                    .append(Html.escape(i.path("status").asString()))
                    .append("</td></tr>");
        }
        return html.append("</tbody></table></section>").toString();
    }
}
