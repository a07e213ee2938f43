package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.Subscription;
import com.stripe.model.WebhookEndpoint;
import com.stripe.model.billing.Meter;
import com.stripe.model.billing.MeterEvent;
import com.stripe.model.billingportal.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.EventListParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceListParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.SubscriptionListParams;
import com.stripe.param.SubscriptionRetrieveParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.WebhookEndpointCreateParams;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterEventCreateParams;
import com.stripe.param.billingportal.SessionCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every supported operation, driven only through stripe-java's StripeClient. */
class StripeConformanceTests {

    private StripeEmulator emulator;
    private StripeClient stripe;

    @BeforeEach
    void start() {
        emulator = StripeEmulator.start(EmulatorOptions.defaults().port(0));
        stripe = client(emulator, 2);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static StripeClient client(StripeEmulator emulator, int retries) {
        return StripeClient.builder()
                .setApiKey("sk_test_emulator")
                .setApiBase(emulator.baseUrl())
                .setMaxNetworkRetries(retries)
                .build();
    }

    @Test
    void customersCanBeCreatedRetrievedUpdatedListedSearchedAndDeleted() throws Exception {
        Customer created = stripe.v1()
                .customers()
                .create(CustomerCreateParams.builder()
                        .setEmail("ops@acme.test")
                        .setName("Acme")
                        .putMetadata("tenant_id", "acme")
                        .build());
        stripe.v1()
                .customers()
                .create(CustomerCreateParams.builder()
                        .putMetadata("tenant_id", "other")
                        .build());

        assertThat(created.getId()).startsWith("cus_");
        assertThat(created.getObject()).isEqualTo("customer");
        assertThat(created.getMetadata()).containsEntry("tenant_id", "acme");
        assertThat(stripe.v1().customers().retrieve(created.getId()).getEmail()).isEqualTo("ops@acme.test");

        Customer updated = stripe.v1()
                .customers()
                .update(
                        created.getId(),
                        CustomerUpdateParams.builder()
                                .setName("Acme Inc")
                                .putMetadata("plan", "pro")
                                .build());
        assertThat(updated.getName()).isEqualTo("Acme Inc");
        assertThat(updated.getMetadata()).containsEntry("tenant_id", "acme").containsEntry("plan", "pro");

        var page = stripe.v1()
                .customers()
                .list(CustomerListParams.builder().setLimit(1L).build());
        assertThat(page.getData()).hasSize(1);
        assertThat(page.getHasMore()).isTrue();
        var next = stripe.v1()
                .customers()
                .list(CustomerListParams.builder()
                        .setLimit(1L)
                        .setStartingAfter(page.getData().get(0).getId())
                        .build());
        assertThat(next.getData().get(0).getId()).isEqualTo(created.getId());
        assertThat(next.getHasMore()).isFalse();

        var found = stripe.v1()
                .customers()
                .search(CustomerSearchParams.builder()
                        .setQuery("metadata['tenant_id']:'acme'")
                        .build());
        assertThat(found.getData()).extracting(Customer::getId).containsExactly(created.getId());

        Customer deleted = stripe.v1().customers().delete(created.getId());
        assertThat(deleted.getDeleted()).isTrue();
        assertThatThrownBy(() -> stripe.v1().customers().retrieve(created.getId()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void pricesHaveLookupKeysAndMeteredPricesNeedAMeter() throws Exception {
        Product product = stripe.v1()
                .products()
                .create(ProductCreateParams.builder().setName("Agents").build());
        Meter meter = createMeter(stripe, "api_calls");
        Price licensed = stripe.v1()
                .prices()
                .create(PriceCreateParams.builder()
                        .setCurrency("usd")
                        .setUnitAmount(2000L)
                        .setProduct(product.getId())
                        .setLookupKey("pro_monthly")
                        .setRecurring(PriceCreateParams.Recurring.builder()
                                .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                .build())
                        .build());
        Price metered = meteredPrice(stripe, product.getId(), meter.getId(), 5L);

        assertThat(product.getId()).startsWith("prod_");
        assertThat(licensed.getId()).startsWith("price_");
        assertThat(licensed.getRecurring().getUsageType()).isEqualTo("licensed");
        assertThat(metered.getRecurring().getUsageType()).isEqualTo("metered");
        assertThat(metered.getRecurring().getMeter()).isEqualTo(meter.getId());
        assertThat(meter.getId()).startsWith("mtr_");
        assertThat(meter.getDefaultAggregation().getFormula()).isEqualTo("sum");
        assertThat(meter.getValueSettings().getEventPayloadKey()).isEqualTo("value");
        assertThat(stripe.v1().billing().meters().retrieve(meter.getId()).getEventName())
                .isEqualTo("api_calls");

        var byKey = stripe.v1()
                .prices()
                .list(PriceListParams.builder().addLookupKey("pro_monthly").build());
        assertThat(byKey.getData()).extracting(Price::getId).containsExactly(licensed.getId());
        assertThatThrownBy(() -> stripe.v1()
                        .prices()
                        .create(PriceCreateParams.builder()
                                .setCurrency("usd")
                                .setUnitAmount(1L)
                                .setProduct(product.getId())
                                .setRecurring(PriceCreateParams.Recurring.builder()
                                        .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                        .setUsageType(PriceCreateParams.Recurring.UsageType.METERED)
                                        .build())
                                .build()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void meterEventsRejectDuplicateIdentifiersAndOutOfWindowTimestamps() throws Exception {
        Customer customer =
                stripe.v1().customers().create(CustomerCreateParams.builder().build());
        createMeter(stripe, "tokens");
        long now = emulator.now().getEpochSecond();

        MeterEvent event = stripe.v1().billing().meterEvents().create(meterEvent(customer.getId(), "7", "id-1", now));
        assertThat(event.getIdentifier()).isEqualTo("id-1");
        assertThat(event.getPayload()).containsEntry("value", "7");

        assertThatThrownBy(() ->
                        stripe.v1().billing().meterEvents().create(meterEvent(customer.getId(), "7", "id-1", now)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("resource_already_exists");
                    assertThat(e.getMessage()).contains("An event already exists with identifier id-1");
                });
        assertThatThrownBy(() -> stripe.v1()
                        .billing()
                        .meterEvents()
                        .create(meterEvent(customer.getId(), "1", "old", now - 36L * 86_400)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> stripe.v1()
                        .billing()
                        .meterEvents()
                        .create(meterEvent(customer.getId(), "1", "future", now + 600)))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void subscriptionsAreCreatedUpdatedListedAndCanceled() throws Exception {
        Customer customer =
                stripe.v1().customers().create(CustomerCreateParams.builder().build());
        Product product = stripe.v1()
                .products()
                .create(ProductCreateParams.builder().setName("Seats").build());
        Price seat = licensedPrice(stripe, product.getId(), 1000L);
        Price premium = licensedPrice(stripe, product.getId(), 3000L);

        Subscription sub = stripe.v1()
                .subscriptions()
                .create(SubscriptionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .putMetadata("tenant_id", "acme")
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(seat.getId())
                                .setQuantity(3L)
                                .build())
                        .addExpand("latest_invoice")
                        .build());

        assertThat(sub.getId()).startsWith("sub_");
        assertThat(sub.getStatus()).isEqualTo("active");
        var item = sub.getItems().getData().get(0);
        assertThat(item.getId()).startsWith("si_");
        assertThat(item.getPrice().getUnitAmount()).isEqualTo(1000L);
        assertThat(item.getQuantity()).isEqualTo(3L);
        assertThat(item.getCurrentPeriodEnd()).isGreaterThan(item.getCurrentPeriodStart());
        Invoice first = sub.getLatestInvoiceObject();
        assertThat(first.getId()).startsWith("in_");
        assertThat(first.getStatus()).isEqualTo("paid");
        assertThat(first.getAmountPaid()).isEqualTo(3000L);
        assertThat(first.getHostedInvoiceUrl()).startsWith(emulator.baseUrl() + "/invoices/");
        assertThat(get(first.getHostedInvoiceUrl()).body()).contains("paid");

        Subscription retrieved = stripe.v1()
                .subscriptions()
                .retrieve(
                        sub.getId(),
                        SubscriptionRetrieveParams.builder()
                                .addExpand("latest_invoice")
                                .build());
        assertThat(retrieved.getLatestInvoiceObject().getTotal()).isEqualTo(3000L);

        Subscription changed = stripe.v1()
                .subscriptions()
                .update(
                        sub.getId(),
                        SubscriptionUpdateParams.builder()
                                .addItem(SubscriptionUpdateParams.Item.builder()
                                        .setId(item.getId())
                                        .setPrice(premium.getId())
                                        .setQuantity(5L)
                                        .build())
                                .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.NONE)
                                .setCancelAtPeriodEnd(true)
                                .build());
        assertThat(changed.getItems().getData().get(0).getPrice().getId()).isEqualTo(premium.getId());
        assertThat(changed.getItems().getData().get(0).getQuantity()).isEqualTo(5L);
        assertThat(changed.getCancelAtPeriodEnd()).isTrue();
        assertThat(changed.getCancelAt()).isEqualTo(item.getCurrentPeriodEnd());

        var listed = stripe.v1()
                .subscriptions()
                .list(SubscriptionListParams.builder()
                        .setCustomer(customer.getId())
                        .build());
        assertThat(listed.getData()).extracting(Subscription::getId).containsExactly(sub.getId());
        var invoices = stripe.v1()
                .invoices()
                .list(InvoiceListParams.builder().setSubscription(sub.getId()).build());
        assertThat(invoices.getData()).extracting(Invoice::getId).containsExactly(first.getId());
        assertThat(stripe.v1().charges().list().getData())
                .singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("succeeded"));

        Subscription canceled = stripe.v1().subscriptions().cancel(sub.getId());
        assertThat(canceled.getStatus()).isEqualTo("canceled");
        assertThat(canceled.getEndedAt()).isNotNull();
    }

    @Test
    void portalSessionsEventsAndWebhookEndpointsAreServed() throws Exception {
        Customer customer =
                stripe.v1().customers().create(CustomerCreateParams.builder().build());
        Session session = stripe.v1()
                .billingPortal()
                .sessions()
                .create(SessionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .setReturnUrl("http://localhost:8000/")
                        .build());
        assertThat(session.getId()).startsWith("bps_");
        assertThat(get(session.getUrl()).statusCode()).isEqualTo(200);

        WebhookEndpoint endpoint = stripe.v1()
                .webhookEndpoints()
                .create(WebhookEndpointCreateParams.builder()
                        .setUrl("http://127.0.0.1:1/hook")
                        .addEnabledEvent(WebhookEndpointCreateParams.EnabledEvent.CUSTOMER__CREATED)
                        .build());
        assertThat(endpoint.getId()).startsWith("we_");
        assertThat(endpoint.getSecret()).startsWith("whsec_");
        assertThat(stripe.v1().webhookEndpoints().list().getData())
                .extracting(WebhookEndpoint::getId)
                .contains(endpoint.getId());

        var events = stripe.v1()
                .events()
                .list(EventListParams.builder()
                        .addType("customer.created")
                        .setCreated(EventListParams.Created.builder()
                                .setGte(emulator.now().getEpochSecond() - 60)
                                .build())
                        .build());
        assertThat(events.getData()).singleElement().satisfies(e -> {
            assertThat(e.getId()).startsWith("evt_");
            assertThat(e.getApiVersion()).isEqualTo("2026-07-29.dahlia");
            assertThat(e.getLivemode()).isFalse();
            assertThat(e.getRequest().getId()).startsWith("req_");
        });
        Event one = stripe.v1().events().retrieve(events.getData().get(0).getId());
        assertThat(one.getType()).isEqualTo("customer.created");
    }

    @Test
    void sameIdempotencyKeyReplaysAndDifferentParamsFail() throws Exception {
        RequestOptions options =
                RequestOptions.builder().setIdempotencyKey("create-acme").build();
        Customer first = stripe.v1()
                .customers()
                .create(CustomerCreateParams.builder().setEmail("a@acme.test").build(), options);
        Customer again = stripe.v1()
                .customers()
                .create(CustomerCreateParams.builder().setEmail("a@acme.test").build(), options);

        assertThat(again.getId()).isEqualTo(first.getId());
        assertThat(stripe.v1().customers().list().getData()).hasSize(1);
        assertThatThrownBy(() -> stripe.v1()
                        .customers()
                        .create(
                                CustomerCreateParams.builder()
                                        .setEmail("b@acme.test")
                                        .build(),
                                options))
                .isInstanceOf(IdempotencyException.class);
    }

    @Test
    void injectedRateLimitSurfacesAsRateLimitException() throws Exception {
        StripeClient noRetries = client(emulator, 0);
        post("/_emulator/faults", "{\"method\":\"POST\",\"path_prefix\":\"/v1/customers\",\"status\":429,\"count\":1}");

        assertThatThrownBy(() -> noRetries
                        .v1()
                        .customers()
                        .create(CustomerCreateParams.builder().build()))
                .isInstanceOf(RateLimitException.class);
        assertThat(noRetries
                        .v1()
                        .customers()
                        .create(CustomerCreateParams.builder().build())
                        .getId())
                .startsWith("cus_");
    }

    @Test
    void rejectsMissingOrNonTestKeys() {
        StripeClient live = StripeClient.builder()
                .setApiKey("sk_live_nope123456")
                .setApiBase(emulator.baseUrl())
                .build();

        assertThatThrownBy(() -> live.v1().customers().list()).isInstanceOf(AuthenticationException.class);
    }

    static Meter createMeter(StripeClient stripe, String eventName) throws Exception {
        return stripe.v1()
                .billing()
                .meters()
                .create(MeterCreateParams.builder()
                        .setDisplayName(eventName)
                        .setEventName(eventName)
                        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
                                .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM)
                                .build())
                        .setCustomerMapping(MeterCreateParams.CustomerMapping.builder()
                                .setEventPayloadKey("stripe_customer_id")
                                .setType(MeterCreateParams.CustomerMapping.Type.BY_ID)
                                .build())
                        .setValueSettings(MeterCreateParams.ValueSettings.builder()
                                .setEventPayloadKey("value")
                                .build())
                        .build());
    }

    static Price meteredPrice(StripeClient stripe, String product, String meter, long unitAmount) throws Exception {
        return stripe.v1()
                .prices()
                .create(PriceCreateParams.builder()
                        .setCurrency("usd")
                        .setUnitAmount(unitAmount)
                        .setProduct(product)
                        .setRecurring(PriceCreateParams.Recurring.builder()
                                .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                .setUsageType(PriceCreateParams.Recurring.UsageType.METERED)
                                .setMeter(meter)
                                .build())
                        .build());
    }

    static Price licensedPrice(StripeClient stripe, String product, long unitAmount) throws Exception {
        return stripe.v1()
                .prices()
                .create(PriceCreateParams.builder()
                        .setCurrency("usd")
                        .setUnitAmount(unitAmount)
                        .setProduct(product)
                        .setRecurring(PriceCreateParams.Recurring.builder()
                                .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                .build())
                        .build());
    }

    static MeterEventCreateParams meterEvent(String customer, String value, String identifier, long timestamp) {
        return MeterEventCreateParams.builder()
                .setEventName("tokens")
                .putPayload("stripe_customer_id", customer)
                .putPayload("value", value)
                .setIdentifier(identifier)
                .setTimestamp(timestamp)
                .build();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void post(String path, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                                .timeout(Duration.ofSeconds(5))
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
