package com.anythingagents.billing.security;

import java.util.Locale;
import java.util.Optional;

/** Roles carried in the token's {@code roles} claim. */
public enum Role {
    OWNER,
    ADMIN,
    MEMBER,
    VIEWER,
    OPERATOR,
    /** A machine caller of the tenant (an agent runner) that reports usage; it reads nothing. */
    SERVICE;

    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Role> fromClaim(String value) {
        for (Role role : values()) {
            if (role.claimValue().equalsIgnoreCase(value.strip())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
