package com.anythingagents.billing.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Turns the verified JWT into a {@link Caller} parameter. */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer container,
            NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            throw new IllegalStateException("Caller parameters need a route that requires a bearer token");
        }
        return caller(token.getToken());
    }

    static Caller caller(Jwt jwt) {
        // typed reads: the decoder's validator refused any other shape (never stringify a list or number)
        Object tenant = jwt.getClaims().get(TokenClaims.TENANT);
        return new Caller(jwt.getSubject(), tenant instanceof String id ? id : null, roles(jwt));
    }

    static Set<Role> roles(Jwt jwt) {
        Object claim = jwt.getClaims().get(TokenClaims.ROLES);
        Collection<?> values = claim instanceof Collection<?> list
                ? list
                : claim instanceof String text ? List.of(text.split("[ ,]+")) : List.of();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        values.forEach(v -> {
            if (v instanceof String role) {
                Role.fromClaim(role).ifPresent(roles::add);
            }
        });
        return roles;
    }
}
