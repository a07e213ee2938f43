package com.anythingagents.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.local.OwnStripe;
import com.stripe.StripeClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The v2 meter event session: one token while it is fresh, a new one before it expires or once it
 * has, one creation at a time (threads needing a token meanwhile wait for it, not for a lock held
 * across the call), and a failed creation is not kept.
 */
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

    @Test
    void threadsThatNeedATokenWhileASessionIsBeingCreatedWaitForThatOneSession() throws Exception {
        // Stripe takes its time creating the session: every thread arriving meanwhile waits for it
        stripe.control().fault("POST", "/v2/billing/meter_event_session", 0, 500, 1);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                sends.add(pool.submit(() -> {
                    start.await();
                    send();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> sent : sends) {
                sent.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(sessionsCreated()).isEqualTo(1);
        assertThat(streamCalls("ok")).isEqualTo(threads);
    }

    @Test
    void whileOneThreadRenewsTheSessionOthersSendWithTheTokenThatStillWorks() throws Exception {
        send();
        clock.advance(Duration.ofMinutes(14).plusSeconds(1)); // due for renewal, a minute before it expires
        stripe.control().fault("POST", "/v2/billing/meter_event_session", 0, 10_000, 1); // a slow Stripe
        ExecutorService renewer = Executors.newSingleThreadExecutor();
        try {
            Future<?> renewing = renewer.submit(this::send);
            await().atMost(Duration.ofSeconds(30)).until(stream::sessionStarting);

            send(); // not held up by the renewal in flight

            assertThat(sessionsCreated())
                    .as("the renewal has not come back yet")
                    .isEqualTo(1);
            renewing.get(60, TimeUnit.SECONDS);
        } finally {
            renewer.shutdownNow();
        }
        assertThat(sessionsCreated()).isEqualTo(2);
        assertThat(streamCalls("ok")).isEqualTo(3);
    }

    @Test
    void aSessionStripeRefusedToCreateIsNotKeptAndTheNextCallCreatesOne() {
        stripe.control().fault("POST", "/v2/billing/meter_event_session", 429, 0, 1);

        assertThatThrownBy(this::send).isInstanceOf(StripeFailure.RateLimited.class);
        send();

        assertThat(sessionsCreated()).as("the refused one and the next").isEqualTo(2);
        assertThat(streamCalls("ok")).isEqualTo(1);
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
