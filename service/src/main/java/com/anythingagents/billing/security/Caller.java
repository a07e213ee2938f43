package com.anythingagents.billing.security;

import java.util.Arrays;
import java.util.Set;
import org.springframework.security.access.AccessDeniedException;

/**
 * Who is calling: the tenant comes from the verified token, never from a request body.
 * Controllers take it as a method parameter.
 */
public record Caller(String subject, String tenantId, Set<Role> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean hasAnyRole(Role... wanted) {
        return Arrays.stream(wanted).anyMatch(roles::contains);
    }

    /** @throws AccessDeniedException (403) unless the caller has one of the roles */
    public Caller requireAnyRole(Role... wanted) {
        if (!hasAnyRole(wanted)) {
            throw new AccessDeniedException(
                    "This needs one of the roles " + Arrays.toString(wanted).toLowerCase());
        }
        return this;
    }

    /** @throws AccessDeniedException (403) when the token names no tenant */
    public String requireTenant() {
        if (tenantId == null || tenantId.isBlank()) {
            throw new AccessDeniedException("The token carries no tenant_id");
        }
        return tenantId;
    }
}
