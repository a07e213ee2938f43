package com.anythingagents.billing;

import com.anythingagents.billing.local.LocalMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects the shared test context's Stripe emulator knows, as Stripe's raw JSON (the shape of
 * event payloads): tests build events about them, so a tie re-fetch finds the truth.
 */
public final class EmulatorObjects {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EmulatorObjects() {}

    /** A customer with {@code metadata.tenant_id}, subscribed to {@code price} without a trial: its first invoice is paid. */
    public static Paying payingCustomer(String tenant, String price) {
        JsonNode customer =
                post("/v1/customers", "email=billing%40" + tenant + ".example&metadata%5Btenant_id%5D=" + tenant);
        String id = customer.path("id").asString();
        JsonNode subscription = post(
                "/v1/subscriptions",
                "customer=" + id + "&items%5B0%5D%5Bprice%5D=" + price
                        + "&items%5B0%5D%5Bquantity%5D=1&metadata%5Btenant_id%5D=" + tenant);
        JsonNode invoice = get("/v1/invoices?customer=" + id).path("data").path(0);
        JsonNode charge = get("/v1/charges?customer=" + id).path("data").path(0);
        return new Paying((ObjectNode) customer, (ObjectNode) subscription, (ObjectNode) invoice, (ObjectNode) charge);
    }

    /** Stripe's objects of one paying customer, as returned when they were created. */
    public record Paying(ObjectNode customer, ObjectNode subscription, ObjectNode invoice, ObjectNode charge) {}

    public static JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private static JsonNode post(String path, String form) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(
                    request.header("Authorization", "Bearer " + TestStripe.SECRET_KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("emulator answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static URI uri(String path) {
        return URI.create(LocalMode.emulator().orElseThrow().baseUrl() + path);
    }
}
