package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.Responses;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Tiny HTML stand-ins for Stripe's hosted invoice page and customer portal. */
final class Pages implements HttpHandler {

    private final Store store;

    Pages(Store store) {
        this.store = store;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        Optional<String> page = Optional.empty();
        if (parts.length == 3 && parts[1].equals("invoices")) {
            page = store.locked(() -> store.find("invoice", parts[2]).map(Pages::invoice));
        } else if (parts.length == 3 && parts[1].equals("portal")) {
            page = store.locked(
                    () -> store.find("billing_portal.session", parts[2]).map(this::portal));
        }
        if (page.isPresent()) {
            Responses.html(exchange, 200, page.get());
        } else {
            Responses.html(exchange, 404, "<!doctype html><title>Not found</title><h1>Not found</h1>");
        }
    }

    private static String invoice(ObjectNode i) {
        StringBuilder rows = new StringBuilder();
        i.path("lines")
                .path("data")
                .forEach(l -> rows.append("<tr><td>")
                        .append(escape(l.path("description").asString()))
                        .append("</td><td>")
                        .append(l.path("quantity").asLong())
                        .append("</td><td>")
                        .append(money(l.path("amount").asLong()))
                        .append("</td></tr>"));
        return "<!doctype html><html><head><meta charset=utf-8><title>Invoice "
                + escape(i.path("number").asString(""))
                + "</title></head><body><h1>Invoice " + escape(i.path("number").asString("")) + "</h1>"
                + "<p>Status: <strong id=status>" + escape(i.get("status").asString()) + "</strong></p>"
                + "<table><tr><th>Description</th><th>Qty</th><th>Amount</th></tr>" + rows + "</table>"
                + "<p>Total: <strong id=total>" + money(i.get("total").asLong()) + " "
                + escape(i.get("currency").asString().toUpperCase())
                + "</strong></p></body></html>";
    }

    private String portal(ObjectNode session) {
        String customer = session.get("customer").asString();
        StringBuilder subs = new StringBuilder();
        store.all("subscription").stream()
                .filter(s -> customer.equals(s.get("customer").asString()))
                .forEach(s -> subs.append("<li>")
                        .append(escape(s.get("id").asString()))
                        .append(" — ")
                        .append(escape(s.get("status").asString()))
                        .append("</li>"));
        String back = session.path("return_url").asString("");
        return "<!doctype html><html><head><meta charset=utf-8><title>Billing portal</title></head><body>"
                + "<h1>Billing portal (emulator)</h1><p>Customer " + escape(customer) + "</p><ul>" + subs + "</ul>"
                + (back.isEmpty() ? "" : "<a href=\"" + escape(back) + "\">Return</a>") + "</body></html>";
    }

    private static String money(long cents) {
        return String.format("%d.%02d", cents / 100, Math.abs(cents % 100));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
