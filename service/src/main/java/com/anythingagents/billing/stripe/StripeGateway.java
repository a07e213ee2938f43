package com.anythingagents.billing.stripe;

import com.anythingagents.billing.config.StripeSettings;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeObjectInterface;
import com.stripe.param.EventListParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only door to Stripe. Speaks Stripe's words; every mutating call carries an idempotency key.
 * Reads are typed SDK calls that return Stripe's raw JSON, so they match the shapes of event payloads
 * exactly; {@code retrieve*} answer empty when Stripe says the object does not exist ({@code resource_missing}).
 */
public class StripeGateway {

    private final StripeClient client;

    private final JsonMapper json;

    /**
     * Worst case per call: (1 + retries) × (connect + read) ≈ 75 s: a hanging Stripe fails the
     * read (and the events that needed it) instead of stalling a worker for stripe-java's defaults
     * (30 s + 80 s with two retries); the worker's heartbeat keeps its leases meanwhile.
     */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    static final int READ_TIMEOUT_MILLIS = 20_000;

    static final int MAX_NETWORK_RETRIES = 2;

    static final int EVENTS_PAGE_SIZE = 100;

    private static final String RESOURCE_MISSING = "resource_missing";

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

    /** The customer as Stripe has it now (a deleted one is a stub with {@code "deleted": true}). */
    public Optional<JsonNode> retrieveCustomer(String customerId) {
        return retrieve(() -> client.v1().customers().retrieve(customerId));
    }

    /** The subscription as Stripe has it now, items included; empty once Stripe no longer knows it. */
    public Optional<JsonNode> retrieveSubscription(String subscriptionId) {
        return retrieve(() -> client.v1().subscriptions().retrieve(subscriptionId));
    }

    /** The invoice as Stripe has it now; empty for a deleted draft. */
    public Optional<JsonNode> retrieveInvoice(String invoiceId) {
        return retrieve(() -> client.v1().invoices().retrieve(invoiceId));
    }

    /** The charge as Stripe has it now. */
    public Optional<JsonNode> retrieveCharge(String chargeId) {
        return retrieve(() -> client.v1().charges().retrieve(chargeId));
    }

    /**
     * Pages through {@code GET /v1/events?created[gte]=…}, newest first as Stripe lists them, handing
     * each page of event JSON to {@code eachPage} before fetching the next, so no more than one page is
     * held. Stripe keeps events for 30 days.
     * @throws StripeFailure translated from the SDK's exception
     */
    public void eventPagesSince(Instant since, Consumer<List<JsonNode>> eachPage) {
        String startingAfter = null;
        boolean more = true;
        while (more) {
            EventListParams.Builder params = EventListParams.builder()
                    .setLimit((long) EVENTS_PAGE_SIZE)
                    .setCreated(EventListParams.Created.builder()
                            .setGte(since.getEpochSecond())
                            .build());
            if (startingAfter != null) {
                params.setStartingAfter(startingAfter);
            }
            EventListParams page = params.build();
            JsonNode body = json(() -> client.v1().events().list(page));
            List<JsonNode> events = new ArrayList<>();
            body.path("data").forEach(events::add);
            if (!events.isEmpty()) {
                eachPage.accept(events);
                startingAfter = events.get(events.size() - 1).path("id").asString();
            }
            more = body.path("has_more").asBoolean(false) && !events.isEmpty();
        }
    }

    /** An SDK call whose typed result is dropped for its raw JSON. */
    @FunctionalInterface
    private interface Call {
        StripeObjectInterface execute() throws StripeException;
    }

    private Optional<JsonNode> retrieve(Call call) {
        try {
            return Optional.of(json(call));
        } catch (StripeFailure.Invalid ex) {
            if (RESOURCE_MISSING.equals(ex.code())) {
                return Optional.empty();
            }
            throw ex;
        }
    }

    // Stripe's raw JSON rather than the typed model: it matches event payloads field for field,
    // whatever the SDK's own API version
    private JsonNode json(Call call) {
        try {
            return json.readTree(call.execute().getLastResponse().body());
        } catch (StripeException ex) {
            throw StripeFailure.from(ex);
        }
    }
}
