package com.anythingagents.billing.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FreshnessTests {

    private static final RowVersion ROW = new RowVersion(Instant.ofEpochSecond(100), "evt_row");

    @Test
    void ordersAnEventAgainstTheRowItWouldChange() {
        assertThat(Freshness.of(Optional.empty(), event("evt_a", 50))).isEqualTo(Freshness.FIRST);
        assertThat(Freshness.of(Optional.of(ROW), event("evt_a", 101))).isEqualTo(Freshness.NEWER);
        assertThat(Freshness.of(Optional.of(ROW), event("evt_a", 100))).isEqualTo(Freshness.TIE);
        assertThat(Freshness.of(Optional.of(ROW), event("evt_a", 99))).isEqualTo(Freshness.STALE);
        assertThat(Freshness.of(Optional.of(ROW), event("evt_row", 100))).isEqualTo(Freshness.DUPLICATE);
    }

    @Test
    void onlyFirstNewerAndTiedEventsApply() {
        assertThat(Freshness.values())
                .filteredOn(Freshness::applies)
                .containsExactly(Freshness.FIRST, Freshness.NEWER, Freshness.TIE);
    }

    private static StripeEvent event(String id, long created) {
        return StripeEventParser.parse(JsonMapper.builder()
                .build()
                .readTree("{\"id\":\"%s\",\"type\":\"t\",\"created\":%d,\"data\":{\"object\":{}}}"
                        .formatted(id, created)));
    }
}
