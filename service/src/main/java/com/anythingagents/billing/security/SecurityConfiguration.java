package com.anythingagents.billing.security;

import com.anythingagents.billing.config.AuthSettings;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.web.ApiError;
import com.anythingagents.billing.web.ApiErrorWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bearer JWTs everywhere except the Stripe webhook (it carries Stripe's signature instead),
 * health, the static dashboard (and the WebJars it loads) and local mode's dev tokens. 401 means "who are you?", 403 "not allowed", both in the
 * error envelope.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(
        type =
                ConditionalOnWebApplication.Type
                        .SERVLET) // CLI commands (migrate, replay, sync-events) run without a web server
class SecurityConfiguration {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiErrorWriter errors) throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, ex) -> errors.write(
                response,
                HttpStatus.UNAUTHORIZED.value(),
                new ApiError("unauthorized", "A valid bearer token is required"));
        AccessDeniedHandler forbidden = (request, response, ex) -> errors.write(
                response, HttpStatus.FORBIDDEN.value(), new ApiError("forbidden", "The token does not allow this"));
        http.csrf(csrf -> csrf.disable()) // stateless API: bearer tokens, no cookies
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // every method: a GET on the webhook is answered 405 by MVC, not 401 (Stripe sends no token)
                .authorizeHttpRequests(auth -> auth.requestMatchers("/webhooks/stripe")
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error")
                        .permitAll()
                        .requestMatchers(
                                HttpMethod.GET, "/", "/index.html", "/dashboard/**", "/webjars/**", "/favicon.ico")
                        .permitAll()
                        // local mode's dev tokens (the dashboard's sign-in); outside local mode the route
                        // does not exist and answers 404 instead of asking for the token it would hand out
                        .requestMatchers(HttpMethod.POST, "/api/v1/dev/token")
                        .permitAll()
                        // the API's description and Swagger UI; every route they describe still needs a token
                        .requestMatchers(
                                HttpMethod.GET,
                                "/v3/api-docs",
                                "/v3/api-docs/**",
                                "/docs",
                                "/docs/**",
                                "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/actuator/**", "/api/v1/admin/**")
                        .hasRole(Role.OPERATOR.name())
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(oauth -> oauth.jwt(jwt ->
                                jwt.jwtAuthenticationConverter(token -> new JwtAuthenticationToken(
                                        token,
                                        CallerArgumentResolver.roles(token).stream()
                                                .map(role -> new SimpleGrantedAuthority("ROLE_" + role.name()))
                                                .toList())))
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(
                        ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden));
        return http.build();
    }

    /**
     * The Stripe webhook is authenticated by its signature, not by a principal: it skips the
     * security filter chain altogether (no token, session or CSRF to check), which keeps the
     * busiest route of the service short. The firewall still applies.
     */
    @Bean
    WebSecurityCustomizer webhookOutsideTheFilterChain() {
        return web -> web.ignoring().requestMatchers(HttpMethod.POST, "/webhooks/stripe");
    }

    /**
     * Requests the firewall refuses (encoded slashes, {@code ..}, {@code ;} in the path): the
     * envelope, and no log line, as the firewall's message quotes the request.
     */
    @Bean
    RequestRejectedHandler requestRejectedInTheEnvelope(ApiErrorWriter errors) {
        return (request, response, ex) -> errors.write(
                response,
                HttpStatus.BAD_REQUEST.value(),
                new ApiError("bad_request", "The request path or headers contain a sequence that is refused"));
    }

    @Bean
    JwtDecoder jwtDecoder(ServiceSettings settings) {
        AuthSettings auth = settings.auth();
        NimbusJwtDecoder decoder = auth.jwtSecret()
                .map(secret -> NimbusJwtDecoder.withSecretKey(
                                new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                        .macAlgorithm(MacAlgorithm.HS256)
                        .build())
                .orElseGet(() -> NimbusJwtDecoder.withJwkSetUri(
                                auth.jwksUri().orElseThrow().toString())
                        .build());
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(
                auth.issuer().map(JwtValidators::createDefaultWithIssuer).orElseGet(JwtValidators::createDefault));
        validators.add(TokenClaims.validator());
        auth.audience()
                .ifPresent(audience -> validators.add(
                        jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                                ? OAuth2TokenValidatorResult.success()
                                : OAuth2TokenValidatorResult.failure(
                                        new OAuth2Error("invalid_token", "wrong audience", null))));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    @Bean
    WebMvcConfigurer callerParameters() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerArgumentResolver());
            }
        };
    }
}
