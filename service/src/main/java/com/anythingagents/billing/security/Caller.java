package com.anythingagents.billing.security;

import java.util.Arrays;
import java.util.Optional;
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

    /**
     * The tenant whose data the caller reads: its own, or, for an operator, the tenant it names.
     * @throws AccessDeniedException (403) when another tenant is named without the operator role, or
     *     when none is named and the token carries no tenant
     */
    public String tenantToRead(Optional<String> requested) {
        Optional<String> named = requested.map(String::strip).filter(t -> !t.isEmpty());
        if (named.isPresent() && !named.get().equals(tenantId)) {
            requireAnyRole(Role.OPERATOR);
            return named.get();
        }
        return requireTenant();
    }
}
