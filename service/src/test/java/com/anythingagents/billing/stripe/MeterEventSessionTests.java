package com.anythingagents.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.local.OwnStripe;
import com.stripe.StripeClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The v2 meter event session: one token while it is fresh, a new one before it expires or once it has. */
class MeterEventSessionTests {

    OwnStripe stripe;

    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    MovableClock clock = new MovableClock();

    MeterEventStream stream;

    @BeforeEach
    void start() {
        stripe = OwnStripe.start();
        StripeClient client = StripeClient.builder()
                .setApiKey("sk_test_sessions")
                .setApiBase(stripe.emulator().baseUrl())
                .setMeterEventsBase(stripe.emulator().baseUrl())
                .build();
        stream = new MeterEventStream(
                client,
                new StripeCalls(
                        new StripeMetrics(registry), JsonMapper.builder().build()),
                clock);
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void oneSessionServesUntilAMinuteBeforeItsFifteenMinutesThenANewOne() {
        send();
        clock.advance(Duration.ofMinutes(10));
        send();
        assertThat(sessionsCreated()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(4).plusSeconds(1)); // 14 min 1 s: renewed ahead of Stripe's expiry
        send();

        assertThat(sessionsCreated()).isEqualTo(2);
        assertThat(streamCalls("ok")).isEqualTo(3);
    }

    @Test
    void aSessionStripeSaysHasExpiredIsRenewedAndTheBatchSentOnce() {
        send();
        stripe.emulator().advanceClock(Duration.ofMinutes(20)); // Stripe's clock ran ahead of ours

        send();

        assertThat(sessionsCreated()).isEqualTo(2);
        assertThat(streamCalls("ok")).isEqualTo(2);
    }

    private void send() {
        stream.send(List.of(new MeterEvent(
                "agent_run",
                "id_" + UUID.randomUUID(),
                "cus_sessions",
                1,
                stripe.emulator().now())));
    }

    private long sessionsCreated() {
        return registry
                .find("stripe.api.calls")
                .tag("operation", "v2.billing.meter_event_session.create")
                .timers()
                .stream()
                .mapToLong(t -> t.count())
                .sum();
    }

    private long streamCalls(String outcome) {
        return registry
                .find("stripe.api.calls")
                .tag("operation", "v2.billing.meter_event_stream.create")
                .tag("outcome", outcome)
                .timers()
                .stream()
                .mapToLong(t -> t.count())
                .sum();
    }

    static final class MovableClock extends Clock {

        private Instant now = Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
