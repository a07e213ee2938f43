package com.anythingagents.billing.config;

import static com.anythingagents.billing.config.SettingsFixture.problems;
import static com.anythingagents.billing.config.SettingsFixture.settings;
import static com.anythingagents.billing.config.SettingsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthSettingsTests {

    @Test
    void acceptsHs256SecretWithIssuerAndAudience() {
        Map<String, String> changes = new HashMap<>();
        changes.put("AUTH_ISSUER", "https://id.example");
        changes.put("AUTH_AUDIENCE", "billing");

        AuthSettings auth = settings(with(changes)).auth();

        assertThat(auth.jwtSecret()).contains(SettingsFixture.JWT_SECRET);
        assertThat(auth.issuer()).contains("https://id.example");
        assertThat(auth.audience()).contains("billing");
        assertThat(auth.toString()).doesNotContain(SettingsFixture.JWT_SECRET);
    }

    @Test
    void acceptsJwksUriInsteadOfSecret() {
        Map<String, String> changes = new HashMap<>();
        changes.put("AUTH_JWT_SECRET", null);
        changes.put("AUTH_JWKS_URI", "https://id.example/.well-known/jwks.json");

        assertThat(settings(with(changes)).auth().jwksUri())
                .contains(URI.create("https://id.example/.well-known/jwks.json"));
    }

    @Test
    void rejectsSecretShorterThan32Bytes() {
        assertThat(problems(with("AUTH_JWT_SECRET", "0123456789012345678901234567890")))
                .containsExactly("AUTH_JWT_SECRET must be at least 32 bytes for HS256");
    }

    @Test
    void rejectsBothSecretAndJwks() {
        assertThat(problems(with("AUTH_JWKS_URI", "https://id.example/jwks")))
                .containsExactly("AUTH_JWT_SECRET and AUTH_JWKS_URI are both set; choose one");
    }

    @Test
    void rejectsNeitherSecretNorJwks() {
        assertThat(problems(with("AUTH_JWT_SECRET", null)))
                .containsExactly("AUTH_JWT_SECRET or AUTH_JWKS_URI is missing (one is required to verify tokens)");
    }

    @Test
    void rejectsJwksUriThatIsNotHttp() {
        Map<String, String> changes = new HashMap<>();
        changes.put("AUTH_JWT_SECRET", null);
        changes.put("AUTH_JWKS_URI", "file:///etc/jwks.json");

        assertThat(problems(with(changes))).containsExactly("AUTH_JWKS_URI must be a http or https URL with a host");
    }
}
