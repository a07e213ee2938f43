package com.anythingagents.billing.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * How the live billing stream serves its clients (defaults in brackets):
 * {@code BILLING_STREAM_MAX_CLIENTS_PER_TENANT} [20] open streams per tenant on one instance, beyond
 * which a connection is refused with 429; {@code BILLING_STREAM_MAX_CLIENTS} [2000] open streams on
 * one instance in all, also 429 beyond (streams hold their connections: this keeps Tomcat's
 * {@code max-connections} free for webhooks and the API); {@code BILLING_STREAM_PING_SECONDS} [15] between
 * {@code : ping} comments; {@code BILLING_STREAM_CLIENT_BUFFER_KIB} [64] of frames a client may have
 * waiting before it counts as too slow and is disconnected (it resumes with Last-Event-ID);
 * {@code BILLING_STREAM_RECONCILE_SECONDS} [10] between checks of the ledger for activity a client
 * missed because a publication was lost (Redis down).
 */
public record StreamSettings(
        int maxClientsPerTenant,
        int maxClients,
        Duration pingInterval,
        int clientBufferBytes,
        Duration reconcileInterval) {

    static final int DEFAULT_MAX_CLIENTS_PER_TENANT = 20;

    // server.tomcat.max-connections is 4,096: streams never take more than about half of them
    static final int DEFAULT_MAX_CLIENTS = 2000;

    static final Duration DEFAULT_PING = Duration.ofSeconds(15);

    static final int DEFAULT_BUFFER_KIB = 64;

    static final Duration DEFAULT_RECONCILE = Duration.ofSeconds(10);

    // one frame is well under 2 KiB: a smaller buffer would drop clients that are merely busy
    static final int MIN_BUFFER_KIB = 8;

    static StreamSettings parse(Function<String, String> vars, List<String> problems) {
        int bufferKib = Settings.positive(vars, "BILLING_STREAM_CLIENT_BUFFER_KIB", DEFAULT_BUFFER_KIB, problems);
        if (bufferKib < MIN_BUFFER_KIB) {
            problems.add("BILLING_STREAM_CLIENT_BUFFER_KIB must be at least " + MIN_BUFFER_KIB);
        }
        return new StreamSettings(
                Settings.positive(
                        vars, "BILLING_STREAM_MAX_CLIENTS_PER_TENANT", DEFAULT_MAX_CLIENTS_PER_TENANT, problems),
                Settings.positive(vars, "BILLING_STREAM_MAX_CLIENTS", DEFAULT_MAX_CLIENTS, problems),
                Settings.seconds(vars, "BILLING_STREAM_PING_SECONDS", DEFAULT_PING, problems),
                bufferKib * 1024,
                Settings.seconds(vars, "BILLING_STREAM_RECONCILE_SECONDS", DEFAULT_RECONCILE, problems));
    }
}
