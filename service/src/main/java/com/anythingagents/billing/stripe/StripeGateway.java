package com.anythingagents.billing.stripe;

import com.anythingagents.billing.config.StripeSettings;
import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.EventListParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceListParams;
import com.stripe.param.PriceRetrieveParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.ProductListParams;
import com.stripe.param.SubscriptionCancelParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.SubscriptionListParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.WebhookEndpointCreateParams;
import com.stripe.param.WebhookEndpointListParams;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterEventCreateParams;
import com.stripe.param.billing.MeterListParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only door to Stripe. Speaks Stripe's words; every mutating call carries an idempotency key
 * the caller derives from its own durable record, so a retry after a crash repeats the same
 * request and Stripe answers it once. Calls return Stripe's raw JSON, so they match the shapes of
 * event payloads exactly; {@code retrieve*} answer empty when Stripe says the object does not
 * exist ({@code resource_missing}). Writes and meter events refuse to run inside a database
 * transaction. Failures are {@link StripeFailure}s.
 */
public class StripeGateway {

    /**
     * Worst case per call: (1 + retries) × (connect + read) ≈ 75 s: a hanging Stripe fails the
     * read (and the events that needed it) instead of stalling a worker for stripe-java's defaults
     * (30 s + 80 s with two retries); the worker's heartbeat keeps its leases meanwhile.
     */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    static final int READ_TIMEOUT_MILLIS = 20_000;

    static final int MAX_NETWORK_RETRIES = 2;

    /**
     * The longest one call may take before it fails: every try runs into both timeouts, with
     * stripe-java's longest back-off between tries. Whatever holds a lease across Stripe calls sizes
     * it from this, so the lease never passes while a call may still be under way.
     */
    public static final Duration LONGEST_CALL = Duration.ofMillis(
                    (1L + MAX_NETWORK_RETRIES) * (CONNECT_TIMEOUT_MILLIS + READ_TIMEOUT_MILLIS))
            .plus(com.stripe.net.HttpClient.maxNetworkRetriesDelay.multipliedBy(MAX_NETWORK_RETRIES));

    static final int EVENTS_PAGE_SIZE = 100;

    static final int LIST_PAGE_SIZE = 100;

    private static final String RESOURCE_MISSING = "resource_missing";

    /** Stripe's code when a meter event identifier was used before: the event is there already. */
    private static final String ALREADY_EXISTS = "resource_already_exists";

    /** Statuses of a subscription that still bills (or may, once paid). */
    public static final Set<String> LIVE_STATUSES =
            Set.of("trialing", "active", "past_due", "unpaid", "incomplete", "paused");

    private final StripeClient client;

    private final StripeCalls calls;

    private final MeterEventStream stream;

    public StripeGateway(StripeSettings settings, JsonMapper json, MeterRegistry registry, Clock clock) {
        this(settings.secretKey(), settings.apiBase(), json, registry, clock);
    }

    private StripeGateway(
            String secretKey, Optional<URI> apiBase, JsonMapper json, MeterRegistry registry, Clock clock) {
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(secretKey)
                .setMaxNetworkRetries(MAX_NETWORK_RETRIES)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setReadTimeout(READ_TIMEOUT_MILLIS);
        apiBase.ifPresent(base -> builder.setApiBase(base.toString()).setMeterEventsBase(base.toString()));
        this.client = builder.build();
        this.calls = new StripeCalls(new StripeMetrics(registry), json);
        this.stream = new MeterEventStream(client, calls, clock);
    }

    /**
     * A gateway for a key alone, outside the service (the {@code setup} and {@code doctor} commands run
     * before the settings are complete): same client, same failures, metrics kept in memory.
     */
    public static StripeGateway connect(String secretKey, Optional<URI> apiBase) {
        return new StripeGateway(
                secretKey, apiBase, JsonMapper.builder().build(), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    /** The API version this SDK speaks, e.g. {@code 2026-07-29.dahlia}. */
    public static String apiVersion() {
        return Stripe.API_VERSION;
    }

    /**
     * Whether events of {@code version} deserialize into this SDK's typed objects: stripe-java compares
     * release trains (the part after the dot, {@code dahlia}), and an event of another train leaves
     * {@code getDataObjectDeserializer().getObject()} empty.
     */
    public static boolean onReleaseTrain(String version) {
        return version != null
                && version.contains(".")
                && version.substring(version.indexOf('.') + 1).equals(Stripe.MAJOR_API_VERSION);
    }

    // --- reads ------------------------------------------------------------------------------------

    /** The customer as Stripe has it now (a deleted one is a stub with {@code "deleted": true}). */
    public Optional<JsonNode> retrieveCustomer(String customerId) {
        return retrieve("customers.retrieve", () -> client.v1().customers().retrieve(customerId));
    }

    /** The subscription as Stripe has it now, items included; empty once Stripe no longer knows it. */
    public Optional<JsonNode> retrieveSubscription(String subscriptionId) {
        return retrieve(
                "subscriptions.retrieve", () -> client.v1().subscriptions().retrieve(subscriptionId));
    }

    /** The invoice as Stripe has it now; empty for a deleted draft. */
    public Optional<JsonNode> retrieveInvoice(String invoiceId) {
        return retrieve("invoices.retrieve", () -> client.v1().invoices().retrieve(invoiceId));
    }

    /** The charge as Stripe has it now. */
    public Optional<JsonNode> retrieveCharge(String chargeId) {
        return retrieve("charges.retrieve", () -> client.v1().charges().retrieve(chargeId));
    }

    /** The price with its product expanded ({@code product.name}); empty when Stripe does not know it. */
    public Optional<JsonNode> retrievePrice(String priceId) {
        PriceRetrieveParams params =
                PriceRetrieveParams.builder().addExpand("product").build();
        return retrieve("prices.retrieve", () -> client.v1().prices().retrieve(priceId, params, null));
    }

    /** The customer's subscriptions that still bill ({@link #LIVE_STATUSES}), newest first. */
    public List<JsonNode> liveSubscriptions(String customerId) {
        SubscriptionListParams params = SubscriptionListParams.builder()
                .setCustomer(customerId)
                .setStatus(SubscriptionListParams.Status.ALL)
                .setLimit((long) LIST_PAGE_SIZE)
                .build();
        List<JsonNode> live = new ArrayList<>();
        calls.jsonRead("subscriptions.list", () -> client.v1().subscriptions().list(params))
                .path("data")
                .forEach(s -> {
                    if (LIVE_STATUSES.contains(s.path("status").asString())) {
                        live.add(s);
                    }
                });
        return live;
    }

    /** Every active Billing Meter of the account. */
    public List<JsonNode> activeMeters() {
        return all("billing.meters.list", after -> {
            MeterListParams.Builder params = MeterListParams.builder()
                    .setStatus(MeterListParams.Status.ACTIVE)
                    .setLimit((long) LIST_PAGE_SIZE);
            after.ifPresent(params::setStartingAfter);
            MeterListParams page = params.build();
            return () -> client.v1().billing().meters().list(page);
        });
    }

    /** The active metered prices that bill a meter, each with its product expanded. */
    public List<JsonNode> meteredPrices(String meterId) {
        List<JsonNode> prices = all("prices.list", after -> {
            PriceListParams.Builder params = PriceListParams.builder()
                    .setActive(true)
                    .setRecurring(PriceListParams.Recurring.builder()
                            .setMeter(meterId)
                            .setUsageType(PriceListParams.Recurring.UsageType.METERED)
                            .build())
                    .addExpand("data.product")
                    .setLimit((long) LIST_PAGE_SIZE);
            after.ifPresent(params::setStartingAfter);
            PriceListParams page = params.build();
            return () -> client.v1().prices().list(page);
        });
        // the filter again: a Stripe-compatible server may ignore recurring[meter]
        return prices.stream()
                .filter(p -> meterId.equals(p.path("recurring").path("meter").asString(null)))
                .toList();
    }

    /** The first {@code limit} prices of the account (a cheap authenticated read: does the key work?). */
    public List<JsonNode> listPrices(int limit) {
        PriceListParams params =
                PriceListParams.builder().setLimit((long) limit).build();
        List<JsonNode> prices = new ArrayList<>();
        calls.jsonRead("prices.list", () -> client.v1().prices().list(params))
                .path("data")
                .forEach(prices::add);
        return prices;
    }

    /** The prices holding these lookup keys (at most one each), products expanded. */
    public List<JsonNode> pricesByLookupKey(List<String> lookupKeys) {
        if (lookupKeys.isEmpty()) {
            return List.of();
        }
        PriceListParams params = PriceListParams.builder()
                .addAllLookupKey(lookupKeys)
                .addExpand("data.product")
                .setLimit((long) LIST_PAGE_SIZE)
                .build();
        List<JsonNode> prices = new ArrayList<>();
        calls.jsonRead("prices.list", () -> client.v1().prices().list(params))
                .path("data")
                .forEach(p -> {
                    // the filter again: a Stripe-compatible server may ignore lookup_keys[]
                    if (lookupKeys.contains(p.path("lookup_key").asString(null))) {
                        prices.add(p);
                    }
                });
        return prices;
    }

    /** Every active product of the account. */
    public List<JsonNode> activeProducts() {
        return all("products.list", after -> {
            ProductListParams.Builder params =
                    ProductListParams.builder().setActive(true).setLimit((long) LIST_PAGE_SIZE);
            after.ifPresent(params::setStartingAfter);
            ProductListParams page = params.build();
            return () -> client.v1().products().list(page);
        });
    }

    /** Every webhook endpoint of the account (Stripe never returns their secrets after creation). */
    public List<JsonNode> webhookEndpoints() {
        return all("webhook_endpoints.list", after -> {
            WebhookEndpointListParams.Builder params =
                    WebhookEndpointListParams.builder().setLimit((long) LIST_PAGE_SIZE);
            after.ifPresent(params::setStartingAfter);
            WebhookEndpointListParams page = params.build();
            return () -> client.v1().webhookEndpoints().list(page);
        });
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
            JsonNode body =
                    calls.jsonRead("events.list", () -> client.v1().events().list(page));
            List<JsonNode> events = new ArrayList<>();
            body.path("data").forEach(events::add);
            if (!events.isEmpty()) {
                eachPage.accept(events);
                startingAfter = events.get(events.size() - 1).path("id").asString();
            }
            more = body.path("has_more").asBoolean(false) && !events.isEmpty();
        }
    }

    // --- writes (each with the caller's idempotency key) --------------------------------------------

    /** A customer for the tenant, {@code metadata.tenant_id} set so every event of it names the tenant. */
    public JsonNode createCustomer(String tenantId, Optional<String> email, String idempotencyKey) {
        CustomerCreateParams.Builder params = CustomerCreateParams.builder().putMetadata("tenant_id", tenantId);
        email.ifPresent(params::setEmail);
        CustomerCreateParams body = params.build();
        return calls.json("customers.create", () -> client.v1().customers().create(body, options(idempotencyKey)));
    }

    public JsonNode createSubscription(NewSubscription s, String idempotencyKey) {
        SubscriptionCreateParams.Builder params = SubscriptionCreateParams.builder()
                .setCustomer(s.customerId())
                .addItem(SubscriptionCreateParams.Item.builder()
                        .setPrice(s.priceId())
                        .setQuantity(s.quantity())
                        .build())
                .putMetadata("tenant_id", s.tenantId())
                .putMetadata("plan_code", s.planCode());
        s.meteredPriceIds()
                .forEach(price -> params.addItem(
                        SubscriptionCreateParams.Item.builder().setPrice(price).build()));
        s.trialDays().ifPresent(days -> params.setTrialPeriodDays((long) days));
        SubscriptionCreateParams body = params.build();
        return calls.json(
                "subscriptions.create", () -> client.v1().subscriptions().create(body, options(idempotencyKey)));
    }

    public JsonNode updateSubscription(String subscriptionId, SubscriptionChange change, String idempotencyKey) {
        SubscriptionUpdateParams.Builder params = SubscriptionUpdateParams.builder()
                .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.valueOf(
                        change.proration().name()));
        if (change.priceId().isPresent() || change.quantity().isPresent()) {
            SubscriptionUpdateParams.Item.Builder item =
                    SubscriptionUpdateParams.Item.builder().setId(change.planItemId());
            change.priceId().ifPresent(item::setPrice);
            change.quantity().ifPresent(item::setQuantity);
            params.addItem(item.build());
        }
        change.planCode().ifPresent(plan -> params.putMetadata("plan_code", plan));
        change.cancelAtPeriodEnd().ifPresent(params::setCancelAtPeriodEnd);
        SubscriptionUpdateParams body = params.build();
        return calls.json(
                "subscriptions.update",
                () -> client.v1().subscriptions().update(subscriptionId, body, options(idempotencyKey)));
    }

    /** Cancels now (Stripe's {@code DELETE /v1/subscriptions/{id}}). */
    public JsonNode cancelSubscription(String subscriptionId, String idempotencyKey) {
        SubscriptionCancelParams body = SubscriptionCancelParams.builder().build();
        return calls.json(
                "subscriptions.cancel",
                () -> client.v1().subscriptions().cancel(subscriptionId, body, options(idempotencyKey)));
    }

    public JsonNode createCheckoutSession(NewCheckoutSession s, String idempotencyKey) {
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setCustomer(s.customerId())
                .setClientReferenceId(s.tenantId())
                .putMetadata("tenant_id", s.tenantId())
                .putMetadata("plan_code", s.planCode())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setPrice(s.priceId())
                        .setQuantity(s.quantity())
                        .build())
                .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                        .putMetadata("tenant_id", s.tenantId())
                        .putMetadata("plan_code", s.planCode())
                        .build())
                .setSuccessUrl(s.successUrl().toString())
                .setCancelUrl(s.cancelUrl().toString());
        s.meteredPriceIds()
                .forEach(price -> params.addLineItem(
                        SessionCreateParams.LineItem.builder().setPrice(price).build()));
        SessionCreateParams body = params.build();
        return calls.json(
                "checkout.sessions.create",
                () -> client.v1().checkout().sessions().create(body, options(idempotencyKey)));
    }

    public JsonNode createPortalSession(String customerId, String returnUrl, String idempotencyKey) {
        com.stripe.param.billingportal.SessionCreateParams body =
                com.stripe.param.billingportal.SessionCreateParams.builder()
                        .setCustomer(customerId)
                        .setReturnUrl(returnUrl)
                        .build();
        return calls.json(
                "billing_portal.sessions.create",
                () -> client.v1().billingPortal().sessions().create(body, options(idempotencyKey)));
    }

    /** A product, e.g. one per plan, found again later by its {@code metadata}. */
    public JsonNode createProduct(String name, Map<String, String> metadata, String idempotencyKey) {
        ProductCreateParams body = ProductCreateParams.builder()
                .setName(name)
                .putAllMetadata(metadata)
                .build();
        return calls.json("products.create", () -> client.v1().products().create(body, options(idempotencyKey)));
    }

    /** A monthly-or-other recurring price: licensed, or metered on a Billing Meter. */
    public JsonNode createPrice(NewPrice p, String idempotencyKey) {
        PriceCreateParams.Recurring.Builder recurring = PriceCreateParams.Recurring.builder()
                .setInterval(PriceCreateParams.Recurring.Interval.valueOf(
                        p.interval().toUpperCase(Locale.ROOT)));
        p.meterId()
                .ifPresent(meter -> recurring
                        .setUsageType(PriceCreateParams.Recurring.UsageType.METERED)
                        .setMeter(meter));
        PriceCreateParams body = PriceCreateParams.builder()
                .setProduct(p.productId())
                .setCurrency(p.currency())
                .setUnitAmount(p.unitAmount())
                .setLookupKey(p.lookupKey())
                .setRecurring(recurring.build())
                .putAllMetadata(p.metadata())
                .build();
        return calls.json("prices.create", () -> client.v1().prices().create(body, options(idempotencyKey)));
    }

    /**
     * A Billing Meter summing {@code payload.value} per {@code payload.stripe_customer_id}, the shape
     * the usage outbox reports in.
     */
    public JsonNode createMeter(String displayName, String eventName, String idempotencyKey) {
        MeterCreateParams body = MeterCreateParams.builder()
                .setDisplayName(displayName)
                .setEventName(eventName)
                .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
                        .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM)
                        .build())
                .setCustomerMapping(MeterCreateParams.CustomerMapping.builder()
                        .setType(MeterCreateParams.CustomerMapping.Type.BY_ID)
                        .setEventPayloadKey("stripe_customer_id")
                        .build())
                .setValueSettings(MeterCreateParams.ValueSettings.builder()
                        .setEventPayloadKey("value")
                        .build())
                .build();
        return calls.json(
                "billing.meters.create", () -> client.v1().billing().meters().create(body, options(idempotencyKey)));
    }

    /**
     * A webhook endpoint on this SDK's API version ({@link #apiVersion()}), so its events parse into
     * typed objects. The answer carries the signing {@code secret}: Stripe shows it this once.
     */
    public JsonNode createWebhookEndpoint(String url, List<String> enabledEvents, String idempotencyKey) {
        WebhookEndpointCreateParams.Builder params = WebhookEndpointCreateParams.builder()
                .setUrl(url)
                .setApiVersion(Arrays.stream(WebhookEndpointCreateParams.ApiVersion.values())
                        .filter(v -> v.getValue().equals(Stripe.API_VERSION))
                        .findFirst()
                        .orElseThrow());
        enabledEvents.forEach(
                type -> params.addEnabledEvent(Arrays.stream(WebhookEndpointCreateParams.EnabledEvent.values())
                        .filter(e -> e.getValue().equals(type))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("Stripe has no event type " + type))));
        WebhookEndpointCreateParams body = params.build();
        return calls.json(
                "webhook_endpoints.create", () -> client.v1().webhookEndpoints().create(body, options(idempotencyKey)));
    }

    // --- meter events -------------------------------------------------------------------------------

    /** What Stripe did with a v1 meter event. */
    public enum MeterEventOutcome {
        CREATED,
        /** Stripe has an event with this identifier already: it was delivered before. */
        ALREADY_EXISTS
    }

    /** One event through {@code POST /v1/billing/meter_events}; the identifier is its idempotency key. */
    public MeterEventOutcome createMeterEvent(MeterEvent e) {
        MeterEventCreateParams body = MeterEventCreateParams.builder()
                .setEventName(e.eventName())
                .setIdentifier(e.identifier())
                .setTimestamp(e.timestamp().getEpochSecond())
                .putPayload("stripe_customer_id", e.customerId())
                .putPayload("value", Long.toString(e.value()))
                .build();
        try {
            calls.json(
                    "billing.meter_events.create",
                    () -> client.v1().billing().meterEvents().create(body, options("meter-event-" + e.identifier())));
            return MeterEventOutcome.CREATED;
        } catch (StripeFailure.Invalid ex) {
            if (ALREADY_EXISTS.equals(ex.code())) {
                return MeterEventOutcome.ALREADY_EXISTS;
            }
            throw ex;
        }
    }

    /**
     * Up to {@value MeterEventStream#MAX_EVENTS_PER_CALL} events in one call of the v2 meter event
     * stream. Stripe validates them asynchronously and drops identifiers it has seen, so a 2xx means
     * the batch was taken; a 4xx refuses the whole batch.
     */
    public void streamMeterEvents(List<MeterEvent> events) {
        stream.send(events);
    }

    /** Stripe's limit of events per {@link #streamMeterEvents} call. */
    public static int maxStreamBatch() {
        return MeterEventStream.MAX_EVENTS_PER_CALL;
    }

    // --- plumbing -------------------------------------------------------------------------------------

    private static RequestOptions options(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private Optional<JsonNode> retrieve(String operation, StripeCalls.ObjectCall call) {
        try {
            return Optional.of(calls.jsonRead(operation, call));
        } catch (StripeFailure.Invalid ex) {
            if (RESOURCE_MISSING.equals(ex.code())) {
                return Optional.empty();
            }
            throw ex;
        }
    }

    /** Every page of a list: {@code page} builds the call for the page after the given id. */
    private List<JsonNode> all(String operation, Function<Optional<String>, StripeCalls.ObjectCall> page) {
        List<JsonNode> items = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            JsonNode body = calls.jsonRead(operation, page.apply(after));
            JsonNode data = body.path("data");
            data.forEach(items::add);
            if (!body.path("has_more").asBoolean(false) || data.isEmpty()) {
                return items;
            }
            after = Optional.of(data.get(data.size() - 1).path("id").asString());
        }
    }
}
