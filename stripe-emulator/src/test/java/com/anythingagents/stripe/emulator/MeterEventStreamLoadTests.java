package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.v2.billing.MeterEventSession;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.billing.MeterEventSummaryListParams;
import com.stripe.param.v2.billing.MeterEventStreamCreateParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many concurrent stream batches with duplicates across threads, across batches and within one
 * batch: every identifier counts exactly once, also after a restart from the state file. This
 * proves correctness under load; throughput is measured outside the test suite.
 */
class MeterEventStreamLoadTests {

    private static final int EVENTS = 20_000;
    private static final int DISTINCT = 15_000;
    private static final int BATCH = 100;
    private static final int THREADS = 6;

    @Test
    void concurrentBatchesWithDuplicatesRecordEachIdentifierOnceAndSurviveARestart(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.json");
        String customer;
        String meter;
        Set<String> sent = ConcurrentHashMap.newKeySet();
        try (StripeEmulator emulator =
                StripeEmulator.start(EmulatorOptions.defaults().port(0).stateFile(state))) {
            StripeClient stripe = MeterEventStreamTests.client(emulator);
            customer = stripe.v1()
                    .customers()
                    .create(CustomerCreateParams.builder().build())
                    .getId();
            meter = StripeConformanceTests.createMeter(stripe, "tokens").getId();
            MeterEventSession session =
                    stripe.v2().billing().meterEventSession().create();
            RequestOptions token = RequestOptions.builder()
                    .setApiKey(session.getAuthenticationToken())
                    .build();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> sending = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    sending.add(pool.submit(() -> {
                        for (int first = thread * BATCH; first < EVENTS; first += THREADS * BATCH) {
                            stripe.v2().billing().meterEventStream().create(batch(customer, first, sent), token);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : sending) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(EVENTS - sent.size()).as("duplicates sent").isGreaterThanOrEqualTo(EVENTS - DISTINCT);
            assertThat(total(emulator, meter, customer)).isEqualTo(sent.size());
        }
        try (StripeEmulator restarted =
                StripeEmulator.start(EmulatorOptions.defaults().port(0).stateFile(state))) {
            assertThat(total(restarted, meter, customer)).isEqualTo(sent.size());
        }
    }

    /** Events {@code first..first+99}; identifiers repeat every 15,000, and each tenth batch repeats itself. */
    private static MeterEventStreamCreateParams batch(String customer, int first, Set<String> sent) {
        var params = MeterEventStreamCreateParams.builder();
        for (int n = first; n < first + BATCH; n++) {
            int id = (first / BATCH) % 10 == 0 && n == first + BATCH - 1 ? first : n;
            String identifier = "evt-" + (id % DISTINCT);
            sent.add(identifier);
            params.addEvent(MeterEventStreamCreateParams.Event.builder()
                    .setEventName("tokens")
                    .setIdentifier(identifier)
                    .putPayload("stripe_customer_id", customer)
                    .putPayload("value", "1")
                    .build());
        }
        return params.build();
    }

    private static long total(StripeEmulator emulator, String meter, String customer) throws Exception {
        long minute = emulator.now().getEpochSecond() / 60 * 60;
        return MeterEventStreamTests.client(emulator)
                .v1()
                .billing()
                .meters()
                .eventSummaries()
                .list(
                        meter,
                        MeterEventSummaryListParams.builder()
                                .setCustomer(customer)
                                .setStartTime(minute - 3600)
                                .setEndTime(minute + 3600)
                                .build())
                .getData()
                .get(0)
                .getAggregatedValue()
                .longValueExact();
    }
}
