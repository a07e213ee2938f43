package com.anythingagents.billing.events;

import com.anythingagents.billing.config.PriceMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recorded events under {@code fixtures/stripe/}, in delivery order. They come from an account
 * whose plans are priced {@code price_starter_monthly} and {@code price_pro_monthly}; the test
 * service's price map comes from the emulator, so those ids are translated to the mapped ones.
 */
public final class StripeFixtures {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Map<String, String> RECORDED_PRICES =
            Map.of("starter", "price_starter_monthly", "pro", "price_pro_monthly");

    private StripeFixtures() {}

    public static List<Path> all() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static StripeEvent load(String fileName, PriceMap prices) {
        return load(directory().resolve(fileName), prices);
    }

    public static StripeEvent load(Path file, PriceMap prices) {
        return StripeEventParser.parse(JSON.readTree(text(file, prices)));
    }

    /** The fixture's JSON as Stripe would send it to this service (recorded prices translated). */
    public static String text(Path file, PriceMap prices) {
        try {
            String text = Files.readString(file);
            for (Map.Entry<String, String> plan : RECORDED_PRICES.entrySet()) {
                String mapped = prices.priceFor(plan.getKey()).orElseThrow();
                text = text.replace("\"" + plan.getValue() + "\"", "\"" + mapped + "\"");
            }
            return text;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A fixture's JSON exactly as recorded. */
    public static String raw(String fileName) {
        try {
            return Files.readString(directory().resolve(fileName));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Path directory() {
        try {
            return Path.of(StripeFixtures.class.getResource("/fixtures/stripe").toURI());
        } catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
