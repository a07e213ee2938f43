package com.anythingagents.billing.local;

import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Local mode's PostgreSQL starts in the background while the context is built; the connection
 * factories wait for it before they initialize, so nothing connects too early, and a failure to
 * start it fails the start as before. Logs what starting local mode's databases did.
 */
@Component
@ConditionalOnProperty(name = "BILLING_LOCAL_MODE", havingValue = "true")
class LocalInfrastructureReady implements BeanPostProcessor, PriorityOrdered {

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructureReady.class);

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource || bean instanceof RedisConnectionFactory) {
            LocalMode.awaitStarted().forEach(log::info);
        }
        return bean;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
