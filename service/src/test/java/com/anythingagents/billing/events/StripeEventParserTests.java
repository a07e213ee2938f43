package com.anythingagents.billing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.anythingagents.billing.config.PriceMap;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StripeEventParserTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final PriceMap PRICES =
            new PriceMap(Map.of("starter", "price_starter_monthly", "pro", "price_pro_monthly"));

    @Test
    void parsesEveryFixture() {
        for (Path file : StripeFixtures.all()) {
            StripeEvent event = StripeFixtures.load(file, PRICES);
            assertThat(event.id()).startsWith("evt_");
            assertThat(file.getFileName().toString()).contains(event.type());
            assertThat(event.apiVersion()).isEqualTo("2026-07-29.dahlia");
            assertThat(event.objectId()).isNotBlank();
        }
    }

    @Test
    void readsTimeObjectAndPreviousAttributes() {
        StripeEvent event = StripeFixtures.load("022_customer.subscription.updated.json", PRICES);

        assertThat(event.created()).isEqualTo(Instant.ofEpochSecond(1770129069));
        assertThat(event.livemode()).isFalse();
        assertThat(event.customerId()).contains("cus_AcmeP4nT7vQx2L");
        assertThat(event.previousAttributes())
                .hasValueSatisfying(p -> assertThat(p.has("items")).isTrue());
    }

    @Test
    void rejectsEventWithoutIdTypeTimeOrObject() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse("{\"type\":\"a\",\"created\":1,\"data\":{\"object\":{}}}"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse("{\"id\":\"e\",\"created\":1,\"data\":{\"object\":{}}}"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse("{\"id\":\"e\",\"type\":\"a\",\"data\":{\"object\":{}}}"));
        assertThatIllegalArgumentException().isThrownBy(() -> parse("{\"id\":\"e\",\"type\":\"a\",\"created\":1}"));
    }

    private static StripeEvent parse(String json) {
        return StripeEventParser.parse(JSON.readTree(json));
    }
}
