package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.FormDecoder;
import com.anythingagents.stripe.emulator.http.Responses;
import com.anythingagents.stripe.emulator.http.StripeException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The emulator's stand-ins for Stripe's hosted pages: invoice ({@code /invoices/{id}}), Checkout
 * ({@code /checkout/{id}}) and the billing portal ({@code /portal/{id}}). Pages are built under
 * the store lock and written after it is released; form POSTs change state like API calls do.
 */
final class Pages implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(Pages.class);

    private final Emulation emu;
    private final CheckoutPage checkout;
    private final PortalPage portal;

    Pages(Emulation emu, CheckoutPage checkout, PortalPage portal) {
        this.emu = emu;
        this.checkout = checkout;
        this.portal = portal;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Html.Result result;
        try {
            result = route(exchange);
        } catch (StripeException e) {
            result = Html.Result.page(
                    e.status(),
                    Html.page(
                            "Error",
                            "<h1>Something went wrong</h1><p role=\"alert\">" + Html.escape(e.getMessage()) + "</p>"));
        } catch (RuntimeException e) {
            log.warn(
                    "emulator page failed on {} {}",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    e);
            result = Html.Result.page(500, Html.page("Error", "<h1>Something went wrong</h1>"));
        }
        if (result.redirect() != null) {
            Responses.seeOther(exchange, result.redirect());
        } else {
            Responses.html(exchange, result.status(), result.body());
        }
    }

    private Html.Result route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String[] parts = exchange.getRequestURI().getPath().split("/");
        ObjectNode query = FormDecoder.decode(exchange.getRequestURI().getRawQuery());
        if (method.equals("GET") && parts.length == 3 && parts[1].equals("invoices")) {
            return emu.read(() -> Html.Result.page(200, invoice(emu.store().require("invoice", parts[2]))));
        }
        if (method.equals("GET") && parts.length == 3 && parts[1].equals("checkout")) {
            return emu.read(() -> checkout.show(parts[2]));
        }
        if (method.equals("POST") && parts.length == 3 && parts[1].equals("checkout")) {
            ObjectNode form = FormDecoder.decode(Responses.readBody(exchange));
            return emu.write(() -> checkout.submit(parts[2], form));
        }
        if (method.equals("GET") && parts.length == 3 && parts[1].equals("portal")) {
            return emu.read(() -> portal.show(parts[2], query.path("notice").asString("")));
        }
        if (method.equals("POST")
                && parts.length == 6
                && parts[1].equals("portal")
                && parts[3].equals("subscriptions")) {
            ObjectNode form = FormDecoder.decode(Responses.readBody(exchange));
            return emu.write(() -> portal.act(parts[2], parts[4], parts[5], form));
        }
        return Html.Result.page(404, Html.page("Not found", "<h1>Not found</h1>"));
    }

    private static String invoice(ObjectNode i) {
        String currency = i.get("currency").asString();
        StringBuilder rows = new StringBuilder();
        i.path("lines")
                .path("data")
                .forEach(l -> rows.append("<tr><td>")
                        .append(Html.escape(l.path("description").asString()))
                        .append("</td><td>")
                        .append(l.path("quantity").asLong())
                        .append("</td><td>")
                        .append(Html.money(l.path("amount").asLong(), currency))
                        .append("</td></tr>"));
        String number = i.path("number").asString("");
        return Html.page(
                "Invoice " + number,
                "<h1>Invoice " + Html.escape(number) + "</h1>"
                        + "<p>Status: <strong id=status>"
                        + Html.escape(i.get("status").asString()) + "</strong></p>"
                        + "<table><thead><tr><th scope=\"col\">Description</th><th scope=\"col\">Qty</th>"
                        + "<th scope=\"col\">Amount</th></tr></thead><tbody>" + rows + "</tbody></table>"
                        + "<p>Total: <strong id=total>"
                        + Html.money(i.get("total").asLong(), currency) + " "
                        + Html.escape(currency.toUpperCase()) + "</strong></p>");
    }
}
