package com.anythingagents.billing.security;

/** Claim names shared by the minter and the verifier. */
final class TokenClaims {

    static final String TENANT = "tenant_id";

    static final String ROLES = "roles";

    private TokenClaims() {}
}
