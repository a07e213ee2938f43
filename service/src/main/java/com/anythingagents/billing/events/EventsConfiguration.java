package com.anythingagents.billing.events;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The pipeline's settings: worker and retry policy, read from the environment. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    @Bean
    WorkerSettings workerSettings(Environment environment) {
        return WorkerSettings.from(environment::getProperty);
    }

    @Bean
    RetryPolicy retryPolicy(Environment environment) {
        return WorkerSettings.retryPolicy(environment::getProperty);
    }
}
