package com.anythingagents.billing.idempotency;

import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.web.ApiErrorWriter;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The Idempotency-Key filter, after Spring Security's chain (it needs the caller's tenant). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class IdempotencyConfiguration {

    /** Spring Security's filter chain runs at -100; this runs after it. */
    static final int ORDER = 0;

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
            IdempotencyKeys keys, ApiErrorWriter errors, JsonMapper json, ServiceSettings settings, Clock clock) {
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(
                new IdempotencyFilter(keys, errors, json, settings.api().idempotencyRetention(), clock));
        registration.setOrder(ORDER);
        registration.addUrlPatterns(IdempotencyFilter.ROUTES.toArray(String[]::new));
        return registration;
    }
}
