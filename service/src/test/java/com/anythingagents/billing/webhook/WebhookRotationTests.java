package com.anythingagents.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.ManualPipelineConfiguration.FailableDataSource;
import com.anythingagents.billing.ManualPipelineConfiguration.SettableClock;
import com.anythingagents.billing.ManualPipelineTest;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.events.ProbeHandler;
import java.net.http.HttpResponse;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Two webhook secrets configured (a rotation in progress), and a database that goes away. */
@ManualPipelineTest
class WebhookRotationTests {

    @LocalServerPort
    int port;

    @Autowired
    SettableClock clock;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void eventsSignedWithEitherSecretAreAccepted() {
        String old = SignedDelivery.newEventId();
        String rotated = SignedDelivery.newEventId();

        assertThat(deliver(TestStripe.WEBHOOK_SECRET, old).statusCode()).isEqualTo(200);
        assertThat(deliver(TestStripe.ROTATED_WEBHOOK_SECRET, rotated).statusCode())
                .isEqualTo(200);
        assertThat(deliver("whsec_neither_of_them_0123456789", SignedDelivery.newEventId())
                        .statusCode())
                .isEqualTo(400);

        assertThat(jdbc.sql("select current_schema()").query(String.class).single())
                .as("isolated from the shared context's worker")
                .isEqualTo(ManualPipelineTest.SCHEMA);
        assertThat(jdbc.sql("select count(*) from stripe_events where stripe_event_id in (?, ?)")
                        .params(old, rotated)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void unreachableDatabaseAnswers503SoStripeRetries() {
        String id = SignedDelivery.newEventId();
        FailableDataSource database = (FailableDataSource) dataSource;
        database.down(true);
        HttpResponse<String> response;
        try {
            response = deliver(TestStripe.WEBHOOK_SECRET, id);
        } finally {
            database.down(false);
        }
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("database_unavailable");

        HttpResponse<String> redelivery = deliver(TestStripe.WEBHOOK_SECRET, id);
        assertThat(redelivery.statusCode()).isEqualTo(200);
        assertThat(redelivery.body()).contains("\"status\":\"received\"");
    }

    private HttpResponse<String> deliver(String secret, String id) {
        return SignedDelivery.postSigned(
                port,
                secret,
                clock.instant(),
                SignedDelivery.event(id, ProbeHandler.TYPE, "acme", false, clock.instant()));
    }
}
