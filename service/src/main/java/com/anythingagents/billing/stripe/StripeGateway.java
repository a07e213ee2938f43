package com.anythingagents.billing.stripe;

import com.anythingagents.billing.config.StripeSettings;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.net.ApiResource;
import com.stripe.net.StripeResponse;
import java.time.Instant;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only door to Stripe. Speaks Stripe's words; every mutating call carries an idempotency key.
 * Reads return Stripe's raw JSON so they match the shapes of event payloads exactly.
 */
public class StripeGateway {

    private final StripeClient client;

    private final JsonMapper json;

    /**
     * Worst case per call: (1 + retries) × (connect + read) ≈ 75 s, well inside the worker's
     * 300 s lease, so a hanging Stripe fails the attempt (and counts it) instead of losing the lease
     * (stripe-java's defaults, 30 s + 80 s with two retries, could outlast it).
     */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    static final int READ_TIMEOUT_MILLIS = 20_000;

    static final int MAX_NETWORK_RETRIES = 2;

    public StripeGateway(StripeSettings settings, JsonMapper json) {
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(settings.secretKey())
                .setMaxNetworkRetries(MAX_NETWORK_RETRIES)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setReadTimeout(READ_TIMEOUT_MILLIS);
        settings.apiBase().ifPresent(base -> builder.setApiBase(base.toString()).setMeterEventsBase(base.toString()));
        this.client = builder.build();
        this.json = json;
    }

    /**
     * Retrieves an object as JSON, e.g. {@code get("/v1/subscriptions/sub_123")}.
     * @throws StripeFailure translated from the SDK's exception
     */
    public JsonNode get(String path) {
        try {
            StripeResponse response = client.rawRequest(ApiResource.RequestMethod.GET, path, null);
            return json.readTree(response.body());
        } catch (StripeException ex) {
            throw StripeFailure.from(ex);
        }
    }

    /**
     * Pages through {@code GET /v1/events?created[gte]=…}, newest first as Stripe lists them, handing
     * each event's JSON to {@code each}. Stripe keeps events for 30 days.
     * @throws StripeFailure translated from the SDK's exception
     */
    public void eventsSince(Instant since, Consumer<JsonNode> each) {
        String startingAfter = null;
        boolean more = true;
        while (more) {
            String path = "/v1/events?limit=100&created%5Bgte%5D=" + since.getEpochSecond()
                    + (startingAfter == null ? "" : "&starting_after=" + startingAfter);
            JsonNode page = get(path);
            for (JsonNode event : page.path("data")) {
                each.accept(event);
                startingAfter = event.path("id").asString();
            }
            more = page.path("has_more").asBoolean(false) && startingAfter != null;
        }
    }
}
