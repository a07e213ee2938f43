package com.anythingagents.billing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SinceTests {

    private static final Instant NOW = Instant.parse("2026-08-10T12:00:00Z");

    @Test
    void readsDurationsDatesAndInstants() {
        assertThat(Since.parse("2h", NOW)).isEqualTo(Instant.parse("2026-08-10T10:00:00Z"));
        assertThat(Since.parse("7d", NOW)).isEqualTo(Instant.parse("2026-08-03T12:00:00Z"));
        assertThat(Since.parse("2026-08-01", NOW)).isEqualTo(Instant.parse("2026-08-01T00:00:00Z"));
        assertThat(Since.parse("2026-08-01T06:30:00Z", NOW)).isEqualTo(Instant.parse("2026-08-01T06:30:00Z"));
    }

    @Test
    void explainsWhatItAccepts() {
        assertThatThrownBy(() -> Since.parse("yesterday", NOW)).hasMessageContaining("duration like 2h");
    }

    @Test
    void durationsBeyondTheTimeLineAreRejectedAsBadInput() {
        // reached from ?since= on the operator API: must be a 400, not an arithmetic crash (500)
        assertThatThrownBy(() -> Since.parse("999999999999d", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration like 2h");
        assertThatThrownBy(() -> Since.parse("99999999999999999999d", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration like 2h");
    }
}
