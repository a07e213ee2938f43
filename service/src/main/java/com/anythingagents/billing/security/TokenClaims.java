package com.anythingagents.billing.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/** Claim names shared by the minter and the verifier, and what a verified token's claims must be. */
final class TokenClaims {

    static final String TENANT = "tenant_id";

    static final String ROLES = "roles";

    static final int MAX_TENANT_LENGTH = 255;

    private TokenClaims() {}

    /**
     * {@code exp} is required (a token without one would never expire); {@code tenant_id}, when
     * present, is a non-blank string of at most {@value #MAX_TENANT_LENGTH} characters without
     * control characters ({@code ["acme"]} or {@code 123} are refused, never stringified);
     * {@code roles} is a string or a list of strings. Anything else: 401.
     */
    static OAuth2TokenValidator<Jwt> validator() {
        return jwt -> {
            List<OAuth2Error> errors = new ArrayList<>(1);
            if (jwt.getExpiresAt() == null) {
                errors.add(invalid("The token has no exp claim"));
            }
            Map<String, Object> claims = jwt.getClaims();
            if (claims.containsKey(TENANT) && !(claims.get(TENANT) instanceof String tenant && tenant(tenant))) {
                errors.add(invalid("The tenant_id claim must be a non-empty string"));
            }
            Object roles = claims.get(ROLES);
            if (claims.containsKey(ROLES)
                    && !(roles instanceof String
                            || (roles instanceof Collection<?> list
                                    && list.stream().allMatch(String.class::isInstance)))) {
                errors.add(invalid("The roles claim must be a string or a list of strings"));
            }
            return errors.isEmpty() ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
        };
    }

    /** A tenant id as tokens carry it and the minter writes it. */
    static boolean tenant(String value) {
        return !value.isBlank()
                && value.length() <= MAX_TENANT_LENGTH
                && value.chars().noneMatch(Character::isISOControl);
    }

    private static OAuth2Error invalid(String description) {
        return new OAuth2Error("invalid_token", description, null);
    }
}
