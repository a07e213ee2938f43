package com.anythingagents.billing.webhook;

import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.EventInbox;
import com.anythingagents.billing.web.ApiErrorWriter;
import com.anythingagents.billing.web.RequestBodies;
import io.micrometer.observation.ObservationPredicate;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/** The webhook route exists only with billing on: it needs the Stripe webhook secrets. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class WebhookConfiguration {

    @Bean
    EventIntake eventIntake(ServiceSettings settings, EventInbox inbox, WebhookMetrics metrics, Clock clock) {
        return new EventIntake(settings.stripe().orElseThrow(), inbox, metrics, clock);
    }

    @Bean
    ServletRegistrationBean<WebhookServlet> webhookServlet(
            EventIntake intake, RequestBodies bodies, ApiErrorWriter errors, WebhookMetrics metrics) {
        // an exact path mapping wins over the DispatcherServlet's "/"; async, for slow bodies
        ServletRegistrationBean<WebhookServlet> registration =
                new ServletRegistrationBean<>(new WebhookServlet(intake, bodies, errors, metrics), WebhookServlet.PATH);
        registration.setAsyncSupported(true);
        return registration;
    }

    /**
     * No http.server.requests timer for the webhook route: stripe_webhook_events_total counts every
     * delivery by outcome already, and the per-request observation was a measurable share of ingest.
     */
    @Bean
    ObservationPredicate webhookRouteUnobserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && WebhookServlet.PATH.equals(server.getCarrier().getRequestURI()));
    }
}
