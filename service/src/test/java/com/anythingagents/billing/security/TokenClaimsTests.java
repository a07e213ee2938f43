package com.anythingagents.billing.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anythingagents.billing.config.ServiceSettings;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A verified signature is not enough: the claims must have the shapes the service relies on
 * ({@code exp} present, {@code tenant_id} a real string, {@code roles} strings). And every token the
 * service mints expires, within a day unless it is asked for as a long-lived service token.
 */
class TokenClaimsTests {

    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes";

    private final JwtDecoder decoder = new SecurityConfiguration()
            .jwtDecoder(ServiceSettings.from(
                    Map.of("DATABASE_URL", "postgresql://localhost/billing", "AUTH_JWT_SECRET", SECRET)::get));

    private final TokenMinter minter = new TokenMinter(SECRET, Optional.empty(), Optional.empty(), Clock.systemUTC());

    /** A correctly signed token with the usual claims, changed by {@code edit}. */
    static String signed(String secret, UnaryOperator<JWTClaimsSet.Builder> edit) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject("user-1")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("tenant_id", "acme")
                .claim("roles", List.of("owner"));
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader(JWSAlgorithm.HS256), edit.apply(claims).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void assertRefused(UnaryOperator<JWTClaimsSet.Builder> edit, String reason) {
        assertThatThrownBy(() -> decoder.decode(signed(SECRET, edit)))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void acceptsTheUsualShapes() {
        assertThat(decoder.decode(signed(SECRET, c -> c)).getClaimAsString("tenant_id"))
                .isEqualTo("acme");
        assertThat(decoder.decode(signed(SECRET, c -> c.claim("roles", "owner admin")))
                        .getSubject())
                .isEqualTo("user-1");
        assertThat(decoder.decode(signed(SECRET, c -> c.claim("tenant_id", null)))
                        .getClaims())
                .doesNotContainKey("tenant_id");
    }

    @Test
    void refusesATokenWithoutExpiry() {
        assertRefused(c -> c.expirationTime(null), "exp");
    }

    @Test
    void refusesATenantThatIsNotANonEmptyString() {
        for (Object tenant : List.of(List.of("acme"), 123, "", "   ", Map.of("id", "acme"), true, "acme\u0000")) {
            assertRefused(c -> c.claim("tenant_id", tenant), "tenant_id");
        }
    }

    @Test
    void refusesRolesThatAreNotStrings() {
        for (Object roles : List.of(List.of("owner", 5), 7, Map.of("role", "owner"), List.of(List.of("owner")))) {
            assertRefused(c -> c.claim("roles", roles), "roles");
        }
    }

    @Test
    void callersNeverGetAStringifiedTenant() {
        // what reaches a controller is the tenant string as signed, never a list rendered as text
        assertThat(CallerArgumentResolver.caller(decoder.decode(signed(SECRET, c -> c)))
                        .tenantId())
                .isEqualTo("acme");
    }

    @Test
    void mintedTokensLiveAtMostADay() {
        String day = minter.mint("u", "acme", List.of(Role.OWNER), TokenMinter.MAX_TTL);
        assertThat(decoder.decode(day).getExpiresAt()).isNotNull();

        assertThatThrownBy(() -> minter.mint("u", "acme", List.of(Role.OWNER), Duration.ofHours(25)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("24h");
        assertThatThrownBy(() -> minter.mint("u", "acme", List.of(Role.OWNER), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> minter.mint("u", "", List.of(Role.OWNER), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longLivedTokensAreMintedOnlyOnRequestAndStillExpire() {
        String week = minter.mintLongLived("service", null, List.of(Role.OPERATOR), Duration.ofDays(7));
        assertThat(decoder.decode(week).getExpiresAt())
                .isBetween(Instant.now().plus(Duration.ofDays(6)), Instant.now().plus(Duration.ofDays(8)));

        assertThatThrownBy(() -> minter.mintLongLived("service", null, List.of(Role.OPERATOR), Duration.ofDays(367)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("366d");
    }
}
