package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.TemporarySessionExpiredException;
import com.stripe.model.Customer;
import com.stripe.model.billing.Meter;
import com.stripe.model.billing.MeterEventSummary;
import com.stripe.model.v2.billing.MeterEventSession;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.billing.MeterEventSummaryListParams;
import com.stripe.param.v2.billing.MeterEventStreamCreateParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The v2 meter event session and stream, through stripe-java with both bases on the emulator. */
class MeterEventStreamTests {

    private StripeEmulator emulator;
    private StripeClient stripe;
    private Customer customer;
    private Meter meter;

    @BeforeEach
    void start() throws Exception {
        emulator = StripeEmulator.start(EmulatorOptions.defaults().port(0));
        stripe = client(emulator);
        customer = stripe.v1().customers().create(CustomerCreateParams.builder().build());
        meter = StripeConformanceTests.createMeter(stripe, "tokens");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    static StripeClient client(StripeEmulator emulator) {
        return StripeClient.builder()
                .setApiKey("sk_test_emulator")
                .setApiBase(emulator.baseUrl())
                .setMeterEventsBase(emulator.baseUrl())
                .setMaxNetworkRetries(0)
                .build();
    }

    @Test
    void sessionTokenAuthenticatesTheStreamForFifteenMinutes() throws Exception {
        MeterEventSession session = stripe.v2().billing().meterEventSession().create();

        assertThat(session.getObject()).isEqualTo("v2.billing.meter_event_session");
        assertThat(session.getId()).startsWith("mes_");
        assertThat(session.getAuthenticationToken()).isNotBlank();
        assertThat(session.getLivemode()).isFalse();
        assertThat(Duration.between(session.getCreated(), session.getExpiresAt()))
                .isEqualTo(Duration.ofMinutes(15));

        stream(session, event("a", "5"), event("b", "7"));
        emulator.advanceClock(Duration.ofMinutes(14));
        stream(session, event("c", "1"));
        emulator.advanceClock(Duration.ofMinutes(2));

        assertThatThrownBy(() -> stream(session, event("d", "1")))
                .isInstanceOfSatisfying(TemporarySessionExpiredException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(401);
                    assertThat(e.getCode()).isEqualTo("billing_meter_event_session_expired");
                });
        assertThat(recorded()).isEqualTo(13.0);
        MeterEventSession renewed = stripe.v2().billing().meterEventSession().create();
        stream(renewed, event("d", "1"));
        assertThat(recorded()).isEqualTo(14.0);
    }

    @Test
    void duplicatesAreDroppedSilentlyInTheStreamWhileV1KeepsItsError() throws Exception {
        MeterEventSession session = stripe.v2().billing().meterEventSession().create();

        stream(session, event("u-1", "10"), event("u-1", "10"), event("u-2", "32"));
        stream(session, event("u-2", "32"));
        long now = emulator.now().getEpochSecond();
        assertThatThrownBy(() -> stripe.v1()
                        .billing()
                        .meterEvents()
                        .create(StripeConformanceTests.meterEvent(customer.getId(), "10", "u-1", now)))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("resource_already_exists"));
        stripe.v1()
                .billing()
                .meterEvents()
                .create(StripeConformanceTests.meterEvent(customer.getId(), "100", "v1-only", now));
        stream(session, event("v1-only", "100"));

        assertThat(recorded()).isEqualTo(142.0);
    }

    @Test
    void invalidStreamEventsAreDroppedAndReportedWhileBadRequestsFailWhole() throws Exception {
        MeterEventSession session = stripe.v2().billing().meterEventSession().create();
        Instant old = emulator.now().minus(Duration.ofDays(36));

        stream(
                session,
                event("ok", "3"),
                MeterEventStreamCreateParams.Event.builder()
                        .setEventName("tokens")
                        .setIdentifier("too-old")
                        .setTimestamp(old)
                        .putPayload("stripe_customer_id", customer.getId())
                        .putPayload("value", "9")
                        .build(),
                MeterEventStreamCreateParams.Event.builder()
                        .setEventName("tokens")
                        .setIdentifier("no-customer")
                        .putPayload("value", "9")
                        .build());

        assertThat(recorded()).isEqualTo(3.0);
        String errors = new Browser()
                .get(emulator.baseUrl() + "/_emulator/meter_event_errors")
                .body();
        assertThat(errors).contains("too-old", "no-customer", "35 calendar days");
        var tooMany = IntStream.range(0, 101)
                .mapToObj(i -> event("many-" + i, "1"))
                .toArray(MeterEventStreamCreateParams.Event[]::new);
        assertThatThrownBy(() -> stream(session, tooMany))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(400));
        assertThat(recorded()).isEqualTo(3.0);
    }

    @Test
    void streamRejectsUnknownTokensAndSecretKeysAndInjectedFaultsSpeakV2() throws Exception {
        assertThatThrownBy(() -> stripe.v2()
                        .billing()
                        .meterEventStream()
                        .create(
                                MeterEventStreamCreateParams.builder()
                                        .addEvent(event("x", "1"))
                                        .build(),
                                RequestOptions.builder()
                                        .setApiKey("mes_token_test_forged")
                                        .build()))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> stripe.v2()
                        .billing()
                        .meterEventStream()
                        .create(MeterEventStreamCreateParams.builder()
                                .addEvent(event("x", "1"))
                                .build()))
                .isInstanceOf(AuthenticationException.class);

        MeterEventSession session = stripe.v2().billing().meterEventSession().create();
        new Browser()
                .postJson(
                        emulator.baseUrl() + "/_emulator/faults",
                        "{\"path_prefix\":\"/v2/billing/meter_event_stream\",\"status\":429,\"count\":1}");
        assertThatThrownBy(() -> stream(session, event("x", "1"))).isInstanceOf(RateLimitException.class);
        stream(session, event("x", "1"));
        assertThat(recorded()).isEqualTo(1.0);
    }

    @Test
    void eventSummariesGroupByHourAndDayOnAlignedWindows() throws Exception {
        long hour = emulator.now().getEpochSecond() / 3600 * 3600;
        MeterEventSession session = stripe.v2().billing().meterEventSession().create();
        stream(session, at("h1", "4", hour - 3600 + 10), at("h2", "6", hour - 3600 + 20), at("h3", "5", hour + 5));

        List<MeterEventSummary> hourly = stripe.v1()
                .billing()
                .meters()
                .eventSummaries()
                .list(
                        meter.getId(),
                        MeterEventSummaryListParams.builder()
                                .setCustomer(customer.getId())
                                .setStartTime(hour - 3 * 3600)
                                .setEndTime(hour + 3600)
                                .setValueGroupingWindow(MeterEventSummaryListParams.ValueGroupingWindow.HOUR)
                                .build())
                .getData();

        assertThat(hourly).extracting(MeterEventSummary::getStartTime).containsExactly(hour, hour - 3600);
        assertThat(hourly).extracting(s -> s.getAggregatedValue().doubleValue()).containsExactly(5.0, 10.0);
        assertThatThrownBy(() -> stripe.v1()
                        .billing()
                        .meters()
                        .eventSummaries()
                        .list(
                                meter.getId(),
                                MeterEventSummaryListParams.builder()
                                        .setCustomer(customer.getId())
                                        .setStartTime(hour + 1)
                                        .setEndTime(hour + 3600)
                                        .build()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getParam()).isEqualTo("start_time"));
    }

    private void stream(MeterEventSession session, MeterEventStreamCreateParams.Event... events) throws Exception {
        var params = MeterEventStreamCreateParams.builder();
        for (var e : events) {
            params.addEvent(e);
        }
        stripe.v2()
                .billing()
                .meterEventStream()
                .create(
                        params.build(),
                        RequestOptions.builder()
                                .setApiKey(session.getAuthenticationToken())
                                .build());
    }

    private MeterEventStreamCreateParams.Event event(String identifier, String value) {
        return at(identifier, value, null);
    }

    private MeterEventStreamCreateParams.Event at(String identifier, String value, Long timestamp) {
        return MeterEventStreamCreateParams.Event.builder()
                .setEventName("tokens")
                .setIdentifier(identifier)
                .setTimestamp(timestamp == null ? null : Instant.ofEpochSecond(timestamp))
                .putPayload("stripe_customer_id", customer.getId())
                .putPayload("value", value)
                .build();
    }

    /** What the meter holds for the customer over the last and next day, read through the API. */
    private double recorded() throws Exception {
        long minute = emulator.now().getEpochSecond() / 60 * 60;
        return stripe.v1()
                .billing()
                .meters()
                .eventSummaries()
                .list(
                        meter.getId(),
                        MeterEventSummaryListParams.builder()
                                .setCustomer(customer.getId())
                                .setStartTime(minute - 86_400)
                                .setEndTime(minute + 86_400)
                                .build())
                .getData()
                .get(0)
                .getAggregatedValue()
                .doubleValue();
    }
}
