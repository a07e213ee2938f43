package com.anythingagents.billing.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoneyTests {

    @Test
    void formatsMinorUnitsTheWayPeopleReadThem() {
        assertThat(Money.format(2900, "usd")).isEqualTo("$29.00");
        assertThat(Money.format(5, "usd")).isEqualTo("$0.05");
        assertThat(Money.format(-1000, "usd")).isEqualTo("-$10.00");
        assertThat(Money.format(1999, "eur")).isEqualTo("19.99 EUR");
        assertThat(Money.format(1500, "jpy")).isEqualTo("1500 JPY");
        assertThat(Money.format(12, "xyz1")).isEqualTo("12 XYZ1 (minor units)");
    }
}
