package com.anythingagents.billing.local;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Once the local service listens: keeps the emulator's webhook endpoint on the port it actually
 * got, and records the session so operator commands can attach to it.
 */
@Component
@ConditionalOnProperty(name = "BILLING_LOCAL_MODE", havingValue = "true")
class LocalWebhookTarget implements ApplicationListener<WebServerInitializedEvent> {

    private final Environment environment;

    LocalWebhookTarget(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        LocalMode.serviceListening(event.getWebServer().getPort(), environment::getProperty);
    }
}
