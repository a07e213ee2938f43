package com.anythingagents.billing.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anythingagents.billing.config.ServiceSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/** The decoder checks issuer and audience when AUTH_ISSUER / AUTH_AUDIENCE are set. */
class JwtDecoderTests {

    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes";

    private static final String ISSUER = "https://id.example";

    private static final String AUDIENCE = "billing";

    private final JwtDecoder decoder = new SecurityConfiguration()
            .jwtDecoder(ServiceSettings.from(Map.of(
                    "DATABASE_URL", "postgresql://localhost/billing",
                    "AUTH_JWT_SECRET", SECRET,
                    "AUTH_ISSUER", ISSUER,
                    "AUTH_AUDIENCE", AUDIENCE)::get));

    private static String token(Optional<String> issuer, Optional<String> audience) {
        return new TokenMinter(SECRET, issuer, audience, Clock.systemUTC())
                .mint("user-1", "acme", List.of(Role.OWNER), Duration.ofMinutes(5));
    }

    @Test
    void acceptsTokenWithTheConfiguredIssuerAndAudience() {
        assertThat(decoder.decode(token(Optional.of(ISSUER), Optional.of(AUDIENCE)))
                        .getClaimAsString("tenant_id"))
                .isEqualTo("acme");
    }

    @Test
    void rejectsWrongIssuer() {
        assertThatThrownBy(() -> decoder.decode(token(Optional.of("https://evil.example"), Optional.of(AUDIENCE))))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("iss");
    }

    @Test
    void rejectsMissingIssuer() {
        assertThatThrownBy(() -> decoder.decode(token(Optional.empty(), Optional.of(AUDIENCE))))
                .isInstanceOf(JwtValidationException.class);
    }

    @Test
    void rejectsWrongAudience() {
        assertThatThrownBy(() -> decoder.decode(token(Optional.of(ISSUER), Optional.of("other-service"))))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("wrong audience");
    }

    @Test
    void rejectsMissingAudience() {
        assertThatThrownBy(() -> decoder.decode(token(Optional.of(ISSUER), Optional.empty())))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("wrong audience");
    }
}
