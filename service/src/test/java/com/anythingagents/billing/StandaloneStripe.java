package com.anythingagents.billing;

import com.anythingagents.stripe.emulator.EmulatorOptions;
import com.anythingagents.stripe.emulator.StripeEmulator;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Product;
import com.stripe.model.billing.Meter;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.billing.MeterCreateParams;

/**
 * An emulator of its own (for service processes started by a test), with what the billing API
 * needs: a $29.00 monthly plan price and an {@code agent_run} meter billed 2 cents a run.
 */
public record StandaloneStripe(StripeEmulator emulator, String planPrice) implements AutoCloseable {

    public static final String METER_EVENT_NAME = "agent_run";

    public static StandaloneStripe start() {
        StripeEmulator emulator =
                StripeEmulator.start(EmulatorOptions.defaults().port(0));
        StripeClient stripe = new EmulatorControl(emulator).stripe();
        try {
            Product plan = stripe.products()
                    .create(ProductCreateParams.builder().setName("Starter").build());
            String price = stripe.prices()
                    .create(PriceCreateParams.builder()
                            .setProduct(plan.getId())
                            .setCurrency("usd")
                            .setUnitAmount(2900L)
                            .setRecurring(PriceCreateParams.Recurring.builder()
                                    .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                    .build())
                            .build())
                    .getId();
            Meter meter = stripe.billing()
                    .meters()
                    .create(MeterCreateParams.builder()
                            .setDisplayName("Agent runs")
                            .setEventName(METER_EVENT_NAME)
                            .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
                                    .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM)
                                    .build())
                            .build());
            Product runs = stripe.products()
                    .create(ProductCreateParams.builder().setName("Agent runs").build());
            stripe.prices()
                    .create(PriceCreateParams.builder()
                            .setProduct(runs.getId())
                            .setCurrency("usd")
                            .setUnitAmount(2L)
                            .setRecurring(PriceCreateParams.Recurring.builder()
                                    .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                    .setUsageType(PriceCreateParams.Recurring.UsageType.METERED)
                                    .setMeter(meter.getId())
                                    .build())
                            .build());
            return new StandaloneStripe(emulator, price);
        } catch (StripeException ex) {
            emulator.close();
            throw new IllegalStateException("Cannot create the catalogue in the emulator", ex);
        }
    }

    public EmulatorControl control() {
        return new EmulatorControl(emulator);
    }

    @Override
    public void close() {
        emulator.close();
    }
}
