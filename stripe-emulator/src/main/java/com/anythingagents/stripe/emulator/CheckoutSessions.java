package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/checkout/sessions} in subscription mode: create, retrieve, list, line items, expire.
 * Paying one is {@link CheckoutCompletion}'s job; the hosted page is {@link CheckoutPage}.
 */
final class CheckoutSessions {

    static final String TABLE = "checkout.session";
    /** What the session object does not show: its line items and {@code subscription_data}. */
    private static final String DETAILS = "_checkout_session";

    private static final long MIN_LIFETIME = 30 * 60;
    private static final long MAX_LIFETIME = 24 * 3600;

    private final Emulation emu;

    CheckoutSessions(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("POST", "/v1/checkout/sessions", r -> withLineItems(create(r), r))
                .route("GET", "/v1/checkout/sessions", this::list)
                .route("GET", "/v1/checkout/sessions/{id}", r -> withLineItems(find(r.pathParam("id")), r))
                .route("GET", "/v1/checkout/sessions/{id}/line_items", this::lineItemsPage)
                .route("POST", "/v1/checkout/sessions/{id}/expire", r -> expire(find(r.pathParam("id"))));
    }

    /** A session by id, expired first when its time is up. */
    ObjectNode find(String id) {
        ObjectNode session = emu.store().require(TABLE, id);
        expireIfDue(session);
        return session;
    }

    List<ObjectNode> lineItems(ObjectNode session) {
        List<ObjectNode> items = new ArrayList<>();
        details(session).path("line_items").forEach(i -> items.add((ObjectNode) i));
        return items;
    }

    /** The email Checkout already knows (no field on the page), if any. */
    Optional<String> knownEmail(ObjectNode session) {
        String email = session.path("customer_email").asString(null);
        if (email == null && session.hasNonNull("customer")) {
            email = emu.store()
                    .find("customer", session.get("customer").asString())
                    .map(c -> c.path("email").asString(null))
                    .orElse(null);
        }
        return Optional.ofNullable(email);
    }

    long trialDays(ObjectNode session) {
        return details(session)
                .path("subscription_data")
                .path("trial_period_days")
                .asLong(0);
    }

    private ObjectNode create(ApiRequest request) {
        String mode = request.requireString("mode");
        if (!"subscription".equals(mode)) {
            throw StripeException.invalid(
                    "mode", "The Stripe emulator supports Checkout Sessions in `subscription` mode only.");
        }
        Optional<String> customer = request.string("customer").filter(c -> !c.isEmpty());
        Optional<String> email = request.string("customer_email").filter(e -> !e.isEmpty());
        if (customer.isPresent() && email.isPresent()) {
            throw StripeException.invalid(
                    "customer_email", "You may only specify one of these parameters: customer, customer_email.");
        }
        customer.ifPresent(c -> emu.store().require("customer", c));
        List<ObjectNode> items = CheckoutLineItems.from(emu.store(), request);
        ObjectNode subscriptionData = subscriptionData(request);
        long now = emu.now();
        long expiresAt = request.integer("expires_at").orElse(now + MAX_LIFETIME);
        if (expiresAt < now + MIN_LIFETIME || expiresAt > now + MAX_LIFETIME) {
            throw StripeException.invalid(
                    "expires_at",
                    "The `expires_at` timestamp must be between 30 minutes and 24 hours after the Checkout Session is created.");
        }
        boolean trial = subscriptionData.path("trial_period_days").asLong(0) > 0;
        long amount = trial
                ? 0
                : items.stream().mapToLong(i -> i.get("amount_total").asLong()).sum();
        String id = "cs_test_" + Ids.random(58);
        ObjectNode s = CheckoutSessionSkeleton.open(
                id,
                now,
                expiresAt,
                items.get(0).get("currency").asString(),
                amount,
                emu.baseUrl().get() + "/checkout/" + id);
        customer.ifPresent(c -> s.put("customer", c));
        email.ifPresent(e -> s.put("customer_email", e));
        request.bool("allow_promotion_codes").ifPresent(a -> s.put("allow_promotion_codes", a));
        request.string("client_reference_id").ifPresent(ref -> {
            if (ref.length() > 200) {
                throw StripeException.invalid(
                        "client_reference_id", "client_reference_id must be at most 200 characters.");
            }
            s.put("client_reference_id", ref);
        });
        Metadata.copyStrings(s, request, "success_url", "cancel_url", "locale");
        Metadata.apply(s, request);
        ObjectNode details = StripeJson.object();
        details.set("line_items", StripeJson.array().addAll(items));
        details.set("subscription_data", subscriptionData);
        emu.store().put(DETAILS, id, details);
        emu.store().put(s);
        return s;
    }

    private static ObjectNode subscriptionData(ApiRequest request) {
        ObjectNode data = request.node("subscription_data")
                .filter(JsonNode::isObject)
                .map(n -> ((ObjectNode) n).deepCopy())
                .orElseGet(StripeJson::object);
        if (data.has("trial_period_days")) {
            long days = ApiRequest.parseLong(
                    "subscription_data[trial_period_days]",
                    data.get("trial_period_days").asString());
            if (days < 1 || days > 730) {
                throw StripeException.invalid(
                        "subscription_data[trial_period_days]", "trial_period_days must be between 1 and 730.");
            }
        }
        return data;
    }

    private ObjectNode list(ApiRequest request) {
        List<ObjectNode> rows = emu.store().values(TABLE).stream()
                .peek(this::expireIfDue)
                .filter(s -> matches(request, "customer", s))
                .filter(s -> matches(request, "subscription", s))
                .filter(s -> matches(request, "status", s))
                .toList();
        return ListPage.of(request, rows, "/v1/checkout/sessions");
    }

    private static boolean matches(ApiRequest request, String field, ObjectNode session) {
        return request.string(field)
                .map(v -> v.equals(session.path(field).asString(null)))
                .orElse(true);
    }

    private ObjectNode lineItemsPage(ApiRequest request) {
        ObjectNode session = find(request.pathParam("id"));
        List<ObjectNode> newestFirst = new ArrayList<>(lineItems(session));
        java.util.Collections.reverse(newestFirst); // ListPage reverses back: line items keep their order
        return ListPage.of(
                request,
                newestFirst,
                "/v1/checkout/sessions/" + session.get("id").asString() + "/line_items");
    }

    /** {@code expand[]=line_items}: the list is not part of the stored session, as in Stripe. */
    private ObjectNode withLineItems(ObjectNode session, ApiRequest request) {
        if (!request.list("expand").contains("line_items")) {
            return session;
        }
        ObjectNode copy = session.deepCopy();
        ArrayNode data = StripeJson.array();
        lineItems(session).forEach(i -> data.add(i.deepCopy()));
        copy.set(
                "line_items",
                StripeJson.list("/v1/checkout/sessions/" + session.get("id").asString() + "/line_items", data, false));
        return copy;
    }

    ObjectNode expire(ObjectNode session) {
        String status = session.get("status").asString();
        if (!"open".equals(status)) {
            throw StripeException.invalid(
                    null,
                    "Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \""
                            + status + "\".");
        }
        session.put("status", "expired");
        session.putNull("url");
        emu.events().emit("checkout.session.expired", session);
        return session;
    }

    /** Sessions expire at {@code expires_at}; the billing clock does it on advances, reads catch up lazily. */
    void expireIfDue(ObjectNode session) {
        if ("open".equals(session.get("status").asString())
                && emu.now() >= session.get("expires_at").asLong()) {
            expire(session);
            emu.saver().markDirty();
        }
    }

    /** The hidden part of a session: its line items and {@code subscription_data}. */
    ObjectNode details(ObjectNode session) {
        return emu.store().find(DETAILS, session.get("id").asString()).orElseGet(StripeJson::object);
    }
}
