package com.anythingagents.billing.local;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Keeps the local emulator's webhook endpoint on the port the service actually got. */
@Component
@ConditionalOnProperty(name = "BILLING_LOCAL_MODE", havingValue = "true")
class LocalWebhookTarget implements ApplicationListener<WebServerInitializedEvent> {

    private final Environment environment;

    LocalWebhookTarget(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        LocalMode.serviceListening(event.getWebServer().getPort(), environment.getProperty("STRIPE_API_BASE"));
    }
}
