package com.anythingagents.billing.local;

import com.anythingagents.stripe.emulator.EmulatorOptions;
import com.anythingagents.stripe.emulator.StripeEmulator;
import com.anythingagents.stripe.emulator.WebhookEndpointInfo;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.billing.Meter;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceListParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.WebhookEndpointUpdateParams;
import com.stripe.param.billing.MeterCreateParams;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Stripe of local mode: the emulator in-process, with the catalogue the demo needs (plans
 * {@code starter} and {@code pro}, a metered feature) created through the real SDK, and a webhook
 * endpoint pointing at this service. Creation is idempotent (found by lookup key), so a restart
 * with the emulator's state file finds the same prices and the same endpoint secret.
 */
final class LocalStripe {

    /** Any {@code sk_test_} key is accepted by the emulator; this one names what it is. */
    static final String SECRET_KEY = "sk_test_local_emulator_key";

    static final String METER_EVENT_NAME = "agent_run";

    /** The feature key the API reports {@link #METER_EVENT_NAME} usage under. */
    static final String USAGE_FEATURE = "agent_runs";

    private static final List<PlanPrice> PLANS =
            List.of(new PlanPrice("starter", "Starter", 2900), new PlanPrice("pro", "Pro", 9900));

    private final StripeEmulator emulator;

    private final StripeClient client;

    private WebhookEndpointInfo endpoint;

    private LocalStripe(StripeEmulator emulator) {
        this.emulator = emulator;
        this.client = StripeClient.builder()
                .setApiKey(SECRET_KEY)
                .setApiBase(emulator.baseUrl())
                .setMeterEventsBase(emulator.baseUrl())
                .build();
    }

    static LocalStripe start(int port, Path stateFile) {
        EmulatorOptions options = EmulatorOptions.defaults().port(port);
        return new LocalStripe(StripeEmulator.start(stateFile == null ? options : options.stateFile(stateFile)));
    }

    StripeEmulator emulator() {
        return emulator;
    }

    /** The Stripe variables of the service, pointing at this emulator. */
    Map<String, String> settings(String webhookUrl) {
        endpoint = emulator.addWebhookEndpoint(webhookUrl);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ENABLE_BILLING", "true");
        values.put("STRIPE_API_BASE", emulator.baseUrl());
        values.put("STRIPE_SECRET_KEY", SECRET_KEY);
        values.put("STRIPE_WEBHOOK_SECRET", endpoint.secret());
        values.put("STRIPE_PRODUCT_PRICE_MAP", priceMap());
        values.put("BILLING_USAGE_METERS", USAGE_FEATURE + "=" + METER_EVENT_NAME);
        // Checkout and the portal send the customer back to the dashboard this service serves
        values.put("BILLING_RETURN_URL", URI.create(webhookUrl).resolve("/").toString());
        return values;
    }

    /** Points the webhook endpoint at the port the service really listens on (tests use random ports). */
    void moveWebhookEndpoint(String webhookUrl) {
        if (endpoint == null || endpoint.url().equals(webhookUrl)) {
            return;
        }
        try {
            client.webhookEndpoints()
                    .update(
                            endpoint.id(),
                            WebhookEndpointUpdateParams.builder()
                                    .setUrl(webhookUrl)
                                    .build());
        } catch (StripeException ex) {
            throw new IllegalStateException("Cannot point the emulator's webhook endpoint at " + webhookUrl, ex);
        }
    }

    void close() {
        emulator.close();
    }

    private String priceMap() {
        try {
            StringBuilder map = new StringBuilder();
            for (PlanPrice plan : PLANS) {
                map.append(map.isEmpty() ? "" : ",")
                        .append(plan.code())
                        .append('=')
                        .append(licensedPrice(plan));
            }
            meteredPrice();
            return map.toString();
        } catch (StripeException ex) {
            throw new IllegalStateException("Cannot create the local plans in the Stripe emulator", ex);
        }
    }

    private String licensedPrice(PlanPrice plan) throws StripeException {
        String lookupKey = plan.code() + "_monthly";
        List<Price> existing = client.prices()
                .list(PriceListParams.builder().addLookupKey(lookupKey).build())
                .getData();
        if (!existing.isEmpty()) {
            return existing.get(0).getId();
        }
        Product product = client.products()
                .create(ProductCreateParams.builder().setName(plan.name()).build());
        return client.prices()
                .create(PriceCreateParams.builder()
                        .setProduct(product.getId())
                        .setCurrency("usd")
                        .setUnitAmount(plan.monthlyCents())
                        .setLookupKey(lookupKey)
                        .setRecurring(PriceCreateParams.Recurring.builder()
                                .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                .build())
                        .build())
                .getId();
    }

    /** The metered feature: agent runs at 2 cents each, summed by a billing meter. */
    private void meteredPrice() throws StripeException {
        String lookupKey = "agent_runs_metered";
        if (!client.prices()
                .list(PriceListParams.builder().addLookupKey(lookupKey).build())
                .getData()
                .isEmpty()) {
            return;
        }
        Meter meter = client.billing()
                .meters()
                .create(MeterCreateParams.builder()
                        .setDisplayName("Agent runs")
                        .setEventName(METER_EVENT_NAME)
                        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
                                .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM)
                                .build())
                        .build());
        Product product = client.products()
                .create(ProductCreateParams.builder().setName("Agent runs").build());
        client.prices()
                .create(PriceCreateParams.builder()
                        .setProduct(product.getId())
                        .setCurrency("usd")
                        .setUnitAmount(2L)
                        .setLookupKey(lookupKey)
                        .setRecurring(PriceCreateParams.Recurring.builder()
                                .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                .setUsageType(PriceCreateParams.Recurring.UsageType.METERED)
                                .setMeter(meter.getId())
                                .build())
                        .build());
    }

    private record PlanPrice(String code, String name, long monthlyCents) {}
}
