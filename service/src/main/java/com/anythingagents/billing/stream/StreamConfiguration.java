package com.anythingagents.billing.stream;

import com.anythingagents.billing.activity.BillingActivity;
import com.anythingagents.billing.config.ServiceSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live stream, with billing and {@code ENABLE_BILLING_STREAM} on. Every process that commits
 * activity publishes it (operator commands too, so a replay from the CLI shows live); only the HTTP
 * service subscribes and serves clients.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
        name = {"billing.enabled", "billing.stream.enabled"},
        havingValue = "true")
class StreamConfiguration {

    @Bean
    StreamMetrics streamMetrics(MeterRegistry registry) {
        return new StreamMetrics(registry);
    }

    @Bean
    RedisFanOut redisFanOut(ServiceSettings settings, JsonMapper json, StreamMetrics metrics) {
        return new RedisFanOut(settings.eventsRedisUrl(), json, metrics);
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    StreamHub streamHub(
            BillingActivity activity,
            RedisFanOut redis,
            JsonMapper json,
            ServiceSettings settings,
            StreamMetrics metrics) {
        return new StreamHub(activity, redis, new SseFrames(json), settings.stream(), metrics);
    }
}
