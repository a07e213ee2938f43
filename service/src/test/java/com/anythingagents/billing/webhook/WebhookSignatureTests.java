package com.anythingagents.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTests {

    private static final Instant NOW = Instant.parse("2026-08-01T12:00:00Z");

    private static final byte[] BODY = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);

    private final WebhookSignature signature =
            new WebhookSignature(List.of("whsec_old_secret", "whsec_new_secret"), Duration.ofSeconds(300));

    @Test
    void acceptsAnyConfiguredSecretAndAnyOfSeveralV1Signatures() {
        String good = SignedDelivery.header("whsec_new_secret", NOW, BODY);
        String bad = SignedDelivery.header("whsec_other", NOW, BODY);
        String both = bad + "," + good.substring(good.indexOf("v1="));
        assertThat(signature.verify(BODY, good, NOW)).isEqualTo(NOW);
        assertThat(signature.verify(BODY, both, NOW)).isEqualTo(NOW);
    }

    @Test
    void rejectsSignatureOverDifferentBytes() {
        String header = SignedDelivery.header("whsec_old_secret", NOW, BODY);
        byte[] reformatted = "{ \"id\": \"evt_1\" }".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> signature.verify(reformatted, header, NOW))
                .hasMessageContaining("No signature matches");
    }

    @Test
    void rejectsTimestampsOutsideToleranceOnBothSides() {
        Instant old = NOW.minusSeconds(301);
        Instant future = NOW.plusSeconds(301);
        assertThatThrownBy(() -> signature.verify(BODY, SignedDelivery.header("whsec_old_secret", old, BODY), NOW))
                .hasMessageContaining("old");
        assertThatThrownBy(() -> signature.verify(BODY, SignedDelivery.header("whsec_old_secret", future, BODY), NOW))
                .hasMessageContaining("future");
        assertThat(signature.verify(BODY, SignedDelivery.header("whsec_old_secret", NOW.minusSeconds(300), BODY), NOW))
                .isEqualTo(NOW.minusSeconds(300));
    }

    @Test
    void rejectsMalformedHeaders() {
        for (String header : List.of("", "t=abc,v1=00", "v1=" + "0".repeat(64), "t=1", "garbage")) {
            assertThatThrownBy(() -> signature.verify(BODY, header, NOW))
                    .isInstanceOf(WebhookSignature.SignatureRejected.class);
        }
    }
}
