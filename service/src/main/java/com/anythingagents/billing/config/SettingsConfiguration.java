package com.anythingagents.billing.config;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Exposes the validated settings (checked before the context started) and the clock. */
@Configuration(proxyBeanMethods = false)
class SettingsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SettingsConfiguration.class);

    @Bean
    ServiceSettings serviceSettings(Environment environment) {
        ServiceSettings settings = ServiceSettings.from(environment::getProperty);
        log.info("Billing service settings: {}", settings.summary());
        return settings;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
