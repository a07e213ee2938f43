package com.anythingagents.billing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PriceMapTests {

    private final List<String> problems = new ArrayList<>();

    private Optional<PriceMap> parse(String value) {
        return PriceMap.parse(value, problems);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"starter\":\"price_a\",\"pro\":\"price_b\"}",
                " { \"starter\" : \"price_a\" ,\n \"pro\": \"price_b\" } ",
                "starter=price_a,pro=price_b",
                " starter = price_a , pro=price_b ,",
            })
    void parsesJsonObjectAndPairsToleratingWhitespace(String value) {
        PriceMap map = parse(value).orElseThrow();

        assertThat(problems).isEmpty();
        assertThat(map.pricesByPlan()).containsExactly(Map.entry("starter", "price_a"), Map.entry("pro", "price_b"));
        assertThat(map.priceFor("pro")).contains("price_b");
        assertThat(map.planFor("price_a")).contains("starter");
        assertThat(map.planFor("price_unknown")).isEmpty();
    }

    @Test
    void rejectsEmptyPlanCodeNamingTheEntry() {
        assertThat(parse("=price_a,pro=price_b")).isEmpty();
        assertThat(problems).containsExactly("STRIPE_PRODUCT_PRICE_MAP entry \"=price_a\" has an empty plan code");
    }

    @Test
    void rejectsEmptyPriceIdNamingTheEntry() {
        assertThat(parse("{\"starter\":\"\"}")).isEmpty();
        assertThat(problems).containsExactly("STRIPE_PRODUCT_PRICE_MAP entry \"starter=\" has an empty price id");
    }

    @Test
    void rejectsPriceIdWithoutPricePrefixNamingTheEntry() {
        assertThat(parse("starter=prod_a")).isEmpty();
        assertThat(problems)
                .containsExactly(
                        "STRIPE_PRODUCT_PRICE_MAP entry \"starter=prod_a\" has a price id that does not start with price_");
    }

    @Test
    void rejectsDuplicatePlan() {
        assertThat(parse("starter=price_a, starter=price_b")).isEmpty();
        assertThat(problems).containsExactly("STRIPE_PRODUCT_PRICE_MAP maps plan \"starter\" twice");
    }

    @Test
    void rejectsEntryWithoutEqualsSign() {
        assertThat(parse("starter=price_a,pro")).isEmpty();
        assertThat(problems).containsExactly("STRIPE_PRODUCT_PRICE_MAP entry \"pro\" is not plan=price");
    }

    @Test
    void reportsEveryBadEntryAtOnce() {
        assertThat(parse("=price_a,pro,team=prod_x")).isEmpty();
        assertThat(problems).hasSize(3);
    }

    @Test
    void rejectsJsonArray() {
        assertThat(parse("[\"price_a\"]")).isEmpty();
        assertThat(problems)
                .containsExactly(
                        "STRIPE_PRODUCT_PRICE_MAP must be a JSON object of plan code to price id, got a JSON array");
    }

    @Test
    void rejectsJsonString() {
        assertThat(parse("\"starter=price_a\"")).isEmpty();
        assertThat(problems)
                .containsExactly(
                        "STRIPE_PRODUCT_PRICE_MAP must be a JSON object of plan code to price id, got a JSON string");
    }

    @Test
    void rejectsNonStringPriceInJson() {
        assertThat(parse("{\"starter\":42}")).isEmpty();
        assertThat(problems)
                .containsExactly("STRIPE_PRODUCT_PRICE_MAP entry \"starter\" must map to a price id string");
    }

    @Test
    void rejectsInvalidJson() {
        assertThat(parse("{\"starter\":\"price_a\"")).isEmpty();
        assertThat(problems).singleElement().asString().startsWith("STRIPE_PRODUCT_PRICE_MAP is not valid JSON: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", " , "})
    void rejectsMapWithNoPlans(String value) {
        assertThat(parse(value)).isEmpty();
        assertThat(problems).containsExactly("STRIPE_PRODUCT_PRICE_MAP maps no plans");
    }
}
