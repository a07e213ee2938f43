package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.config.PipelineSettings;
import com.anythingagents.billing.config.ServiceSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The pipeline's worker settings and retry policy, from the validated service settings. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    @Bean
    WorkerSettings workerSettings(ServiceSettings settings, Environment environment) {
        boolean enabled = environment.getProperty("billing.workers.enabled", Boolean.class, true);
        return WorkerSettings.of(enabled, settings.pipeline());
    }

    @Bean
    RetryPolicy retryPolicy(ServiceSettings settings) {
        PipelineSettings pipeline = settings.pipeline();
        return new RetryPolicy(pipeline.maxAttempts(), pipeline.retryBase(), pipeline.retryCap());
    }
}
