package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Paying a Checkout Session, as its hosted page and the control API do. A paid session creates its
 * customer (if none was given), saves the card and creates its subscription through the same code
 * as {@code POST /v1/customers} and {@code POST /v1/subscriptions} (first invoice paid), then
 * completes, in Stripe's event order: {@code customer.created}, {@code payment_method.attached},
 * {@code customer.subscription.created}, the invoice events, {@code checkout.session.completed}. A
 * refused card changes nothing: the session stays open for another try, as in Stripe Checkout.
 */
final class CheckoutCompletion {

    /** The payer's outcome: the session (complete when paid), or why the card was refused. */
    record Payment(ObjectNode session, Optional<TestCards.Decline> decline) {}

    private final Emulation emu;
    private final CheckoutSessions sessions;
    private final Customers customers;
    private final Subscriptions subscriptions;
    private final PaymentMethods paymentMethods;
    private final Payments payments;

    CheckoutCompletion(
            Emulation emu,
            CheckoutSessions sessions,
            Customers customers,
            Subscriptions subscriptions,
            PaymentMethods paymentMethods,
            Payments payments) {
        this.emu = emu;
        this.sessions = sessions;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.paymentMethods = paymentMethods;
        this.payments = payments;
    }

    /**
     * Pays an open session with a test card. Caller holds the store lock. Throws a 400 for input the
     * page must ask again for (a missing email), returns the decline for a refused card.
     */
    Payment pay(ObjectNode session, String card, String email, String name) {
        sessions.expireIfDue(session);
        String status = session.get("status").asString();
        if (!"open".equals(status)) {
            throw StripeException.invalid(null, "This Checkout Session is " + status + " and can no longer be paid.");
        }
        String payerEmail = sessions.knownEmail(session).orElse(blankToNull(email));
        if (payerEmail == null) {
            throw StripeException.missing("email");
        }
        Optional<TestCards.Decline> decline = TestCards.decline(card);
        if (decline.isEmpty() && session.hasNonNull("customer")) {
            decline = payments.takeArmedFailure(session.get("customer").asString())
                    .map(code -> new TestCards.Decline("card_declined", code, "Your card was declined."));
        }
        if (decline.isPresent()) {
            return new Payment(session, decline);
        }
        String payerName = blankToNull(name);
        String customer = session.hasNonNull("customer")
                ? existingCustomer(session.get("customer").asString(), payerEmail)
                : newCustomer(payerEmail, payerName);
        ObjectNode pm = paymentMethods.attachCard(customer, card, payerName, payerEmail);
        ObjectNode sub = subscriptions.create(
                ApiRequest.internal("/v1/subscriptions", Map.of(), subscriptionParams(session, customer, pm)));
        session.put("customer", customer);
        session.put("subscription", sub.get("id").asString());
        session.put("invoice", sub.path("latest_invoice").asString(null));
        session.set("customer_details", CheckoutSessionSkeleton.customerDetails(payerEmail, payerName));
        session.put("status", "complete");
        session.put("payment_status", session.get("amount_total").asLong() == 0 ? "no_payment_required" : "paid");
        session.putNull("url");
        emu.events().emit("checkout.session.completed", session);
        return new Payment(session, Optional.empty());
    }

    private String newCustomer(String email, String name) {
        ObjectNode params = StripeJson.object();
        params.put("email", email);
        if (name != null) {
            params.put("name", name);
        }
        return customers
                .create(ApiRequest.internal("/v1/customers", Map.of(), params))
                .get("id")
                .asString();
    }

    /** Checkout sets the email entered on a customer that had none. */
    private String existingCustomer(String id, String email) {
        ObjectNode customer = emu.store().require("customer", id);
        if (customer.path("email").isNull()) {
            ObjectNode params = StripeJson.object();
            params.put("email", email);
            customers.update(ApiRequest.internal("/v1/customers/" + id, Map.of("id", id), params));
        }
        return id;
    }

    private ObjectNode subscriptionParams(ObjectNode session, String customer, ObjectNode pm) {
        JsonNode data = sessions.details(session).path("subscription_data");
        ObjectNode params = StripeJson.object();
        params.put("customer", customer);
        params.put("default_payment_method", pm.get("id").asString());
        ArrayNode items = params.putArray("items");
        for (ObjectNode line : sessions.lineItems(session)) {
            ObjectNode item = items.addObject();
            item.put("price", line.path("price").path("id").asString());
            if (line.hasNonNull("quantity")) {
                item.put("quantity", line.get("quantity").asString());
            }
        }
        if (data.path("metadata").isObject()) { // subscription_data[metadata] goes on the subscription
            params.set("metadata", data.get("metadata").deepCopy());
        }
        if (data.has("trial_period_days")) {
            params.put("trial_period_days", data.get("trial_period_days").asString());
        }
        if (data.has("description")) {
            params.put("description", data.get("description").asString());
        }
        return params;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
