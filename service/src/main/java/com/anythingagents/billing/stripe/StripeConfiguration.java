package com.anythingagents.billing.stripe;

import com.anythingagents.billing.config.ServiceSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class StripeConfiguration {

    @Bean
    StripeGateway stripeGateway(ServiceSettings settings, JsonMapper json) {
        return new StripeGateway(settings.stripe().orElseThrow(), json);
    }
}
