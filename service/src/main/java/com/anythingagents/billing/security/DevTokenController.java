package com.anythingagents.billing.security;

import com.anythingagents.billing.config.AuthSettings;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Development tokens for the dashboard's sign-in, in local mode only: outside it this bean does not
 * exist and the route answers 404 like any unknown one. Tokens are short-lived and signed with the
 * local development secret, exactly like {@code make token}. Only callers on this machine get one:
 * a local service reachable from the network must not hand out tokens to it.
 */
@RestController
@ConditionalOnProperty(name = "BILLING_LOCAL_MODE", havingValue = "true")
// BILLING_LOCAL_MODE=true written to an .env that reaches production must not hand out its tokens there
@Profile("!prod")
class DevTokenController {

    /** Short: a dashboard signed in with it asks for a new one when it runs out. */
    static final Duration TTL = Duration.ofMinutes(30);

    static final int MAX_TENANT_LENGTH = 100;

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final AuthSettings auth;

    private final Clock clock;

    DevTokenController(ServiceSettings settings, Clock clock) {
        this.auth = settings.auth();
        this.clock = clock;
    }

    record DevTokenRequest(String tenantId, String role) {}

    record DevTokenResponse(String token, long expiresIn) {}

    @PostMapping("/api/v1/dev/token")
    DevTokenResponse token(HttpServletRequest http, @RequestBody(required = false) DevTokenRequest request) {
        if (!fromThisMachine(http)) {
            throw new ApiException(
                    HttpStatus.FORBIDDEN, "forbidden", "Development tokens are only handed out to this machine");
        }
        String secret = auth.jwtSecret()
                .orElseThrow(() -> new ApiException(
                        HttpStatus.NOT_FOUND,
                        "not_found",
                        "Development tokens need AUTH_JWT_SECRET; this service verifies tokens with AUTH_JWKS_URI"));
        Role role = role(request == null ? null : request.role());
        String tenant = tenant(request == null ? null : request.tenantId(), role);
        TokenMinter minter = new TokenMinter(secret, auth.issuer(), auth.audience(), clock);
        return new DevTokenResponse(
                minter.mint("dev-" + role.claimValue(), tenant, List.of(role), TTL), TTL.toSeconds());
    }

    private static Role role(String value) {
        if (value == null || value.isBlank()) {
            throw invalid("role", "is required");
        }
        return Role.fromClaim(value)
                .orElseThrow(() -> invalid(
                        "role",
                        "must be one of "
                                + String.join(
                                        ", ",
                                        Arrays.stream(Role.values())
                                                .map(Role::claimValue)
                                                .toList())));
    }

    /** A tenant is required, except for an operator, who may look at every tenant without one. */
    private static String tenant(String value, Role role) {
        String tenant = value == null ? "" : value.strip();
        if (tenant.isEmpty()) {
            if (role == Role.OPERATOR) {
                return null;
            }
            throw invalid("tenant_id", "is required");
        }
        if (tenant.length() > MAX_TENANT_LENGTH || !tenant.matches("[A-Za-z0-9._:-]+")) {
            throw invalid("tenant_id", "must be at most " + MAX_TENANT_LENGTH + " letters, digits or . _ : -");
        }
        return tenant;
    }

    private static ApiException invalid(String field, String problem) {
        return ApiException.invalidField(field, problem);
    }

    /**
     * A loopback peer is not enough on its own: a tunnel or a sidecar on this machine connects from
     * loopback too (then forwarding headers say so), and a page the developer opens can rebind its own
     * name to 127.0.0.1 (then Host names that page, and Origin is not this service).
     */
    private static boolean fromThisMachine(HttpServletRequest http) {
        if (!loopback(http.getRemoteAddr()) || !loopbackHost(http.getServerName())) {
            return false;
        }
        for (String forwarded : List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")) {
            if (http.getHeader(forwarded) != null) {
                return false;
            }
        }
        String origin = http.getHeader("Origin");
        try {
            return origin == null || loopbackHost(URI.create(origin.strip()).getHost());
        } catch (IllegalArgumentException ex) { // not a URI: not a page of this machine's
            return false;
        }
    }

    private static boolean loopbackHost(String host) {
        return host != null && LOOPBACK_NAMES.contains(host.toLowerCase(Locale.ROOT));
    }

    /** The remote address is an IP literal (no DNS lookup). */
    private static boolean loopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException ex) {
            return false;
        }
    }
}
