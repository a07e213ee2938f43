package com.anythingagents.billing.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** How bearer tokens are verified: an HS256 secret (development) or a JWKS URI (identity providers). */
public record AuthSettings(
        Optional<String> jwtSecret, Optional<URI> jwksUri, Optional<String> issuer, Optional<String> audience) {

    /** HS256 needs a key of at least 256 bits. */
    static final int MIN_SECRET_BYTES = 32;

    @Override
    public String toString() {
        return "AuthSettings[" + (jwtSecret.isPresent() ? "hs256" : "jwks=" + jwksUri.orElse(null)) + "]";
    }

    static Optional<AuthSettings> parse(Function<String, String> vars, List<String> problems) {
        int before = problems.size();
        Optional<String> secret = Settings.text(vars, "AUTH_JWT_SECRET");
        Optional<URI> jwks = Settings.httpUrl(vars, "AUTH_JWKS_URI", problems);
        secret.filter(s -> s.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES)
                .ifPresent(
                        s -> problems.add("AUTH_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes for HS256"));
        if (secret.isPresent() && jwks.isPresent()) {
            problems.add("AUTH_JWT_SECRET and AUTH_JWKS_URI are both set; choose one");
        }
        if (secret.isEmpty() && jwks.isEmpty() && problems.size() == before) {
            problems.add("AUTH_JWT_SECRET or AUTH_JWKS_URI is missing (one is required to verify tokens)");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new AuthSettings(
                secret, jwks, Settings.text(vars, "AUTH_ISSUER"), Settings.text(vars, "AUTH_AUDIENCE")));
    }
}
