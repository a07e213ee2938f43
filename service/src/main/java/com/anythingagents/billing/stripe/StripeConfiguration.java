package com.anythingagents.billing.stripe;

import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.local.LocalStripeTime;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class StripeConfiguration {

    @Bean
    StripeGateway stripeGateway(ServiceSettings settings, JsonMapper json, MeterRegistry registry, Clock clock) {
        return new StripeGateway(settings.stripe().orElseThrow(), json, registry, clock);
    }

    @Bean
    StripeClock stripeClock(ServiceSettings settings, Clock clock) {
        return new StripeClock(
                LocalStripeTime.clockOf(settings.stripe().orElseThrow().apiBase())
                        .orElse(clock));
    }
}
