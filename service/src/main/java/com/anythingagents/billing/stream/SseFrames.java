package com.anythingagents.billing.stream;

import com.anythingagents.billing.activity.ActivityEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * The frames of {@code text/event-stream} this service writes (UTF-8, each ending in a blank line):
 * <pre>
 * retry: 3000                    once, first: how long a client waits before it reconnects
 *
 * id: 42                         an activity item: the tenant's sequence,
 * event: invoice.paid            its type,
 * data: {"seq":42,…}             and the item as JSON on one line
 *
 * id: 42                         once, after the replay of missed items: the stream is live now,
 * event: ready                   and 42 is where it stands (send it back as Last-Event-ID)
 * data: {"tenant_id":"acme","seq":42}
 *
 * : ping                         a comment every ping interval, to keep proxies and sockets open
 * </pre>
 */
final class SseFrames {

    static final Duration RETRY = Duration.ofSeconds(3);

    /** What a frame is, for the frames-sent metric. */
    enum Kind {
        ACTIVITY,
        READY,
        PING,
        RETRY
    }

    /** Encoded once and shared by every client of a tenant. */
    record Frame(Kind kind, byte[] bytes) {}

    static final Frame PING = new Frame(Kind.PING, bytes(": ping\n\n"));

    static final Frame RETRY_HINT = new Frame(Kind.RETRY, bytes("retry: " + RETRY.toMillis() + "\n\n"));

    // an event name is one line of text: anything else in a type is replaced, never passed through
    private static final Pattern UNSAFE_IN_EVENT_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    private final JsonMapper json;

    SseFrames(JsonMapper json) {
        this.json = json;
    }

    Frame activity(ActivityEntry entry) {
        String type = UNSAFE_IN_EVENT_NAME.matcher(entry.eventType()).replaceAll("_");
        // Jackson writes one line: newlines inside strings are escaped, so "data:" needs no splitting
        return new Frame(
                Kind.ACTIVITY,
                bytes("id: " + entry.seq() + "\nevent: " + type + "\ndata: " + json.writeValueAsString(entry)
                        + "\n\n"));
    }

    Frame ready(String tenantId, long seq) {
        String data = json.writeValueAsString(new Ready(tenantId, seq));
        return new Frame(Kind.READY, bytes("id: " + seq + "\nevent: ready\ndata: " + data + "\n\n"));
    }

    private record Ready(String tenantId, long seq) {}

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
