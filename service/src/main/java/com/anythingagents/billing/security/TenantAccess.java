package com.anythingagents.billing.security;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who may do what with a tenant's billing (DESIGN §6): writes need {@code owner} or {@code admin}
 * (usage reports also {@code service}); reads any member of the tenant. The tenant is always the
 * token's.
 */
public final class TenantAccess {

    private TenantAccess() {}

    /** The caller of the current request, for code outside controllers (filters); empty without a token. */
    public static Optional<Caller> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof JwtAuthenticationToken token
                ? Optional.of(CallerArgumentResolver.caller(token.getToken()))
                : Optional.empty();
    }

    /** Whether the caller may write the tenant's billing (owner or admin of a named tenant). */
    public static boolean canWrite(Caller caller) {
        return caller.tenantId() != null && !caller.tenantId().isBlank() && caller.hasAnyRole(Role.OWNER, Role.ADMIN);
    }

    /** @return the tenant; 403 without one or without a member role */
    public static String reader(Caller caller) {
        String tenant = caller.requireTenant();
        caller.requireAnyRole(Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER);
        return tenant;
    }

    /** @return the tenant; 403 unless owner or admin of it */
    public static String writer(Caller caller) {
        String tenant = caller.requireTenant();
        caller.requireAnyRole(Role.OWNER, Role.ADMIN);
        return tenant;
    }

    /** @return the tenant; 403 unless owner, admin or a service of it */
    public static String usageReporter(Caller caller) {
        String tenant = caller.requireTenant();
        caller.requireAnyRole(Role.OWNER, Role.ADMIN, Role.SERVICE);
        return tenant;
    }
}
