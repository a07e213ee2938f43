package com.anythingagents.billing.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Mints HS256 tokens with the configured secret: for development, tests and service tokens. Every
 * token expires: at most {@link #MAX_TTL} after it is minted, or {@link #MAX_LONG_LIVED_TTL} for a
 * service token asked for as such ({@link #mintLongLived}).
 */
public final class TokenMinter {

    /** Tokens for people: a day at most. */
    public static final Duration MAX_TTL = Duration.ofHours(24);

    /** Service tokens, only when asked for by name: a year at most (then rotate them). */
    public static final Duration MAX_LONG_LIVED_TTL = Duration.ofDays(366);

    private final byte[] secret;

    private final Optional<String> issuer;

    private final Optional<String> audience;

    private final Clock clock;

    public TokenMinter(String secret, Optional<String> issuer, Optional<String> audience, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** @throws IllegalArgumentException when {@code ttl} is not positive or longer than {@link #MAX_TTL} */
    public String mint(String subject, String tenantId, List<Role> roles, Duration ttl) {
        if (ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("A token lives at most " + MAX_TTL.toHours()
                    + "h; mint a long-lived service token explicitly for longer");
        }
        return sign(subject, tenantId, roles, ttl);
    }

    /** @throws IllegalArgumentException when {@code ttl} is not positive or longer than {@link #MAX_LONG_LIVED_TTL} */
    public String mintLongLived(String subject, String tenantId, List<Role> roles, Duration ttl) {
        if (ttl.compareTo(MAX_LONG_LIVED_TTL) > 0) {
            throw new IllegalArgumentException(
                    "A long-lived token lives at most " + MAX_LONG_LIVED_TTL.toDays() + "d; rotate it instead");
        }
        return sign(subject, tenantId, roles, ttl);
    }

    private String sign(String subject, String tenantId, List<Role> roles, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("A token lifetime must be positive");
        }
        if (tenantId != null && !TokenClaims.tenant(tenantId)) {
            throw new IllegalArgumentException("A tenant id is a non-empty string without control characters, at most "
                    + TokenClaims.MAX_TENANT_LENGTH + " characters");
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plus(ttl)))
                .claim(TokenClaims.ROLES, roles.stream().map(Role::claimValue).toList());
        if (tenantId != null) {
            claims.claim(TokenClaims.TENANT, tenantId);
        }
        issuer.ifPresent(claims::issuer);
        audience.ifPresent(claims::audience);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException ex) {
            throw new IllegalStateException("Cannot sign the token: " + ex.getMessage(), ex);
        }
        return jwt.serialize();
    }
}
