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

/** Mints HS256 tokens with the configured secret: for development, tests and service tokens. */
public final class TokenMinter {

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

    public String mint(String subject, String tenantId, List<Role> roles, Duration ttl) {
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
