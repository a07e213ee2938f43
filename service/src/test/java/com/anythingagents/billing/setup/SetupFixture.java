package com.anythingagents.billing.setup;

import com.anythingagents.stripe.emulator.EmulatorOptions;
import com.anythingagents.stripe.emulator.StripeEmulator;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.param.PriceListParams;
import com.stripe.param.ProductListParams;
import com.stripe.param.billing.MeterListParams;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A Stripe emulator of its own and the assistant run against it, as the command line builds it. */
final class SetupFixture implements AutoCloseable {

    static final String KEY = "sk_test_51SetupAssistantTestKey000000";

    final StripeEmulator emulator =
            StripeEmulator.start(EmulatorOptions.defaults().port(0));

    final Map<String, String> current = new LinkedHashMap<>();

    final StringWriter output = new StringWriter();

    /** Runs the assistant; {@code answers} (one per line) make it interactive, null keeps it non-interactive. */
    int run(SetupOptions options, String answers) {
        PrintWriter out = new PrintWriter(output, true);
        Prompts prompts = answers == null ? Prompts.none(out) : Prompts.scripted(out, new StringReader(answers));
        return new SetupAssistant(prompts, current::get, Optional.empty(), Clock.systemUTC()).run(options);
    }

    String output() {
        return output.toString();
    }

    URI apiBase() {
        return URI.create(emulator.baseUrl());
    }

    static SetupOptions options(Path envFile) {
        return new SetupOptions(
                envFile,
                Optional.empty(),
                false,
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Map.of(),
                Optional.empty(),
                Map.of(),
                false,
                false);
    }

    /** Products, prices and meters in the emulator: what a run created. */
    long objects() {
        StripeClient stripe = StripeClient.builder()
                .setApiKey(KEY)
                .setApiBase(emulator.baseUrl())
                .build();
        try {
            return stripe.v1()
                            .products()
                            .list(ProductListParams.builder().setLimit(100L).build())
                            .getData()
                            .size()
                    + stripe.v1()
                            .prices()
                            .list(PriceListParams.builder().setLimit(100L).build())
                            .getData()
                            .size()
                    + stripe.v1()
                            .billing()
                            .meters()
                            .list(MeterListParams.builder().setLimit(100L).build())
                            .getData()
                            .size();
        } catch (StripeException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        emulator.close();
    }
}
