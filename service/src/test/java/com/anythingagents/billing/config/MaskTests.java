package com.anythingagents.billing.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaskTests {

    @Test
    void showsPrefixAndLastFourOnly() {
        assertThat(Mask.secret("sk_test_51HxAbCdEfGhIjKlMnOp4f2a")).isEqualTo("sk_test_…4f2a");
        assertThat(Mask.secret("whsec_0123456789abcdef")).isEqualTo("whsec_…cdef");
        assertThat(Mask.secret("rk_live_" + "51HxAbCdEfGhIjKl9z9z")).isEqualTo("rk_live_…9z9z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk_test_abc", "sk_test_12345678901", "whsec_x", "hunter2", "password_1", "hunter22_x"})
    void shortValuesShowNothingAfterThePrefix(String value) {
        String masked = Mask.secret(value);

        assertThat(masked).endsWith("…");
        assertThat(value).startsWith(masked.substring(0, masked.length() - 1));
        assertThat(masked.length() - 1).isLessThan(value.length());
    }

    @Test
    void shortValueWithoutKeyPrefixShowsNothing() {
        assertThat(Mask.secret("password_1")).isEqualTo("…");
    }

    @Test
    void longValueWithoutPrefixShowsOnlyLastFour() {
        assertThat(Mask.secret("0123456789abcdefghij")).isEqualTo("…ghij");
    }

    @Test
    void absentValueSaysUnset() {
        assertThat(Mask.secret(null)).isEqualTo("(unset)");
        assertThat(Mask.secret("")).isEqualTo("(unset)");
    }
}
