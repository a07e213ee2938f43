package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hosted Checkout page at a session's {@code url}: what is bought, what is due today and a card
 * form whose "Pay" button POSTs back here. A plain form POST is enough to pay (no JavaScript), so
 * tests and headless browsers can do it. Paid → 303 to {@code success_url}; declined → the page
 * again with the reason (402) and the session still open, as Stripe Checkout behaves.
 */
final class CheckoutPage {

    private final CheckoutSessions sessions;
    private final CheckoutCompletion completion;

    CheckoutPage(CheckoutSessions sessions, CheckoutCompletion completion) {
        this.sessions = sessions;
        this.completion = completion;
    }

    /** GET; caller holds the store lock. */
    Html.Result show(String id) {
        return render(sessions.find(id), 200, null, null, "");
    }

    /** POST of the form; caller holds the store lock for writing. */
    Html.Result submit(String id, ObjectNode form) {
        ObjectNode session = sessions.find(id);
        String email = form.path("email").asString("");
        String name = form.path("name").asString("");
        String card = form.path("card").asString("");
        if (!"open".equals(session.get("status").asString())) {
            return render(session, 409, null, null, email);
        }
        if (TestCards.digits(card).isEmpty()) {
            return render(session, 400, "Enter your card number.", "card", email);
        }
        CheckoutCompletion.Payment payment;
        try {
            payment = completion.pay(session, card, email, name);
        } catch (StripeException e) {
            if ("email".equals(e.param())) {
                return render(session, 400, "Enter your email address.", "email", email);
            }
            throw e;
        }
        if (payment.decline().isPresent()) {
            return render(session, 402, payment.decline().get().message(), "card", email);
        }
        String success = session.path("success_url").asString(null);
        if (success == null) {
            return render(session, 200, null, null, email);
        }
        return Html.Result.seeOther(success.replace("{CHECKOUT_SESSION_ID}", id));
    }

    private Html.Result render(ObjectNode session, int status, String error, String invalidField, String email) {
        String state = session.get("status").asString();
        if ("complete".equals(state)) {
            String back = session.path("success_url").asString(null);
            return Html.Result.page(
                    status,
                    Html.page(
                            "Payment complete",
                            "<h1>Thanks for subscribing</h1><p role=\"status\">This Checkout Session is complete.</p>"
                                    + (back == null
                                            ? ""
                                            : "<p><a href=\""
                                                    + Html.escape(back.replace(
                                                            "{CHECKOUT_SESSION_ID}",
                                                            session.get("id").asString()))
                                                    + "\">Continue</a></p>")));
        }
        if ("expired".equals(state)) {
            return Html.Result.page(
                    status == 200 ? 410 : status,
                    Html.page(
                            "Checkout Session expired",
                            "<h1>This Checkout Session has expired</h1><p>Return to the site and start again.</p>"
                                    + cancelLink(session)));
        }
        return Html.Result.page(status, Html.page(title(session), form(session, error, invalidField, email)));
    }

    private String title(ObjectNode session) {
        List<ObjectNode> items = sessions.lineItems(session);
        return "Subscribe to "
                + (items.isEmpty() ? "a plan" : items.get(0).path("description").asString());
    }

    private String form(ObjectNode session, String error, String invalidField, String email) {
        String id = session.get("id").asString();
        String currency = session.get("currency").asString();
        long trialDays = sessions.trialDays(session);
        StringBuilder rows = new StringBuilder();
        for (ObjectNode item : sessions.lineItems(session)) {
            boolean metered = item.path("quantity").isNull();
            rows.append("<tr><td>")
                    .append(Html.escape(item.path("description").asString()))
                    .append("<br><small>")
                    .append(Html.escape(Html.price(item.path("price"))))
                    .append("</small></td><td>")
                    .append(metered ? "—" : Long.toString(item.path("quantity").asLong()))
                    .append("</td><td>")
                    .append(
                            metered
                                    ? "Billed on usage"
                                    : Html.money(item.path("amount_total").asLong(), currency))
                    .append("</td></tr>");
        }
        Optional<String> knownEmail = sessions.knownEmail(session);
        StringBuilder html = new StringBuilder()
                .append("<h1>")
                .append(Html.escape(title(session)))
                .append("</h1>");
        if (trialDays > 0) {
            html.append("<p>").append(trialDays).append(" days free, then billed as below.</p>");
        }
        html.append("<table><caption>Order summary</caption><thead><tr><th scope=\"col\">Item</th>"
                        + "<th scope=\"col\">Qty</th><th scope=\"col\">Amount</th></tr></thead><tbody>")
                .append(rows)
                .append("</tbody><tfoot><tr><th scope=\"row\" colspan=\"2\">Total due today</th><td id=\"total\">")
                .append(Html.money(session.get("amount_total").asLong(), currency))
                .append("</td></tr></tfoot></table>");
        if (error != null) {
            html.append("<div class=\"alert\" role=\"alert\" id=\"form-error\">")
                    .append(Html.escape(error))
                    .append("</div>");
        }
        html.append("<form method=\"post\" action=\"/checkout/")
                .append(Html.escape(id))
                .append("\">");
        if (knownEmail.isPresent()) {
            html.append("<p>Email: <strong id=\"email\">")
                    .append(Html.escape(knownEmail.get()))
                    .append("</strong></p>");
        } else {
            html.append(input("email", "Email", "email", "email", email, invalidField, "you@example.com"));
        }
        html.append("<fieldset><legend>Card information</legend>")
                .append(input("card", "Card number", "text", "cc-number", "", invalidField, "4242 4242 4242 4242")
                        .replace("<input ", "<input inputmode=\"numeric\" "))
                .append(input("exp", "Expiry date (MM / YY)", "text", "cc-exp", "", null, "12 / 34"))
                .append(input("cvc", "Security code (CVC)", "text", "cc-csc", "", null, "123")
                        .replace("<input ", "<input inputmode=\"numeric\" "))
                .append("</fieldset>")
                .append(input("name", "Name on card", "text", "cc-name", "", null, ""))
                .append("<button type=\"submit\">Pay</button></form>")
                .append(cancelLink(session));
        return html.toString();
    }

    private static String input(
            String name, String label, String type, String autocomplete, String value, String invalid, String hint) {
        boolean bad = name.equals(invalid);
        return "<label for=\"" + name + "\">" + Html.escape(label) + "</label><input id=\"" + name + "\" name=\""
                + name + "\" type=\"" + type + "\" autocomplete=\"" + autocomplete + "\" value=\"" + Html.escape(value)
                + "\"" + (hint.isEmpty() ? "" : " placeholder=\"" + Html.escape(hint) + "\"")
                + (name.equals("card") || name.equals("email") ? " required" : "")
                + (bad ? " aria-invalid=\"true\" aria-describedby=\"form-error\"" : "") + ">";
    }

    private static String cancelLink(ObjectNode session) {
        String cancel = session.path("cancel_url").asString(null);
        return cancel == null ? "" : "<p><a href=\"" + Html.escape(cancel) + "\">Back</a></p>";
    }
}
