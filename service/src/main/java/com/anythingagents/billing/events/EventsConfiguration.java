package com.anythingagents.billing.events;

import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The pipeline's settings and the fallbacks that let it boot before the real tenancy beans exist. */
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

    /** Replaced by the customers package's resolver (metadata, then the customer mapping). */
    @Bean
    @ConditionalOnMissingBean
    TenantResolver metadataTenantResolver() {
        return event -> Optional.ofNullable(
                        event.object().path("metadata").path("tenant_id").asString(null))
                .filter(tenant -> !tenant.isBlank());
    }

    /** Replaced by the activity package's recorder. */
    @Bean
    @ConditionalOnMissingBean
    ActivityRecorder noActivityRecorder() {
        return (event, change) -> {};
    }
}
