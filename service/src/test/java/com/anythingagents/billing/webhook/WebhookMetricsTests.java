package com.anythingagents.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.ProbeHandler;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.security.TokenMinter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What operators alert on: the intake's results, processing, retries and the backlog's age. */
@BillingServiceTest
class WebhookMetricsTests {

    @LocalServerPort
    int port;

    @Autowired
    ServiceSettings settings;

    @Test
    void countsEachIntakeResultAndTheProcessingOfStoredEvents() {
        double received =
                metric("stripe_webhook_events_total{event_type=\"" + ProbeHandler.TYPE + "\",result=\"received\"}");
        double duplicate =
                metric("stripe_webhook_events_total{event_type=\"" + ProbeHandler.TYPE + "\",result=\"duplicate\"}");
        double invalid = metric("stripe_webhook_events_total{event_type=\"unknown\",result=\"invalid_signature\"}");
        double processed = metric("stripe_event_processing_seconds_count");
        String id = SignedDelivery.newEventId();
        String json = SignedDelivery.event(id, ProbeHandler.TYPE, "acme", false, Instant.now());
        String secret = settings.stripe().orElseThrow().webhookSecrets().get(0);

        SignedDelivery.postSigned(port, secret, Instant.now(), json);
        SignedDelivery.postSigned(port, secret, Instant.now(), json);
        SignedDelivery.postSigned(port, "whsec_not_ours", Instant.now(), json);

        assertThat(metric("stripe_webhook_events_total{event_type=\"" + ProbeHandler.TYPE + "\",result=\"received\"}"))
                .isEqualTo(received + 1);
        assertThat(metric("stripe_webhook_events_total{event_type=\"" + ProbeHandler.TYPE + "\",result=\"duplicate\"}"))
                .isEqualTo(duplicate + 1);
        assertThat(metric("stripe_webhook_events_total{event_type=\"unknown\",result=\"invalid_signature\"}"))
                .isEqualTo(invalid + 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> metric("stripe_event_processing_seconds_count") > processed);
        assertThat(scrape()).contains("stripe_events_oldest_unprocessed_age_seconds", "stripe_event_retries_total");
    }

    private double metric(String series) {
        Matcher value =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape());
        return value.find() ? Double.parseDouble(value.group(1)) : 0.0;
    }

    private String scrape() {
        String token = new TokenMinter(TestStripe.JWT_SECRET, Optional.empty(), Optional.empty(), Clock.systemUTC())
                .mint("ops", null, List.of(Role.OPERATOR), Duration.ofMinutes(5));
        HttpProbe.Response response = new HttpProbe(port).get("/actuator/prometheus", token);
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }
}
