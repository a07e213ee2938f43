package com.anythingagents.billing.cli;

import com.anythingagents.billing.events.EventOperations;
import com.anythingagents.billing.events.StoredEvent;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stored events as a plain text table, one line each, columns as wide as their widest cell; the
 * last column holds the next attempt and error, and the tenant conflict of a flagged event.
 */
final class EventTable {

    private static final List<String> HEADER = List.of(
            "EVENT_ID", "TYPE", "STATUS", "ATTEMPTS", "TENANT", "RECEIVED", "NEXT_ATTEMPT / ERROR / TENANT_CONFLICT");

    private static final int MAX_ERROR = 80;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventTable() {}

    static void print(PrintWriter out, List<StoredEvent> events) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        events.forEach(e -> rows.add(row(e)));
        int[] widths = new int[HEADER.size() - 1];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line.append(row.get(widths.length)).toString().stripTrailing());
        }
    }

    private static List<String> row(StoredEvent e) {
        String status = e.dead() ? "failed (dead)" : e.status().column();
        String detail = e.lastError()
                .map(error -> error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR - 1) + "…" : error)
                .map(error -> e.nextAttemptAt().map(n -> time(n) + " " + error).orElse(error))
                .orElse(e.nextAttemptAt().map(EventTable::time).orElse(""));
        // a conflict is shown whole: it names both tenants
        String conflict = e.tenantConflict().map(c -> "tenant conflict: " + c).orElse("");
        detail = detail.isEmpty() ? conflict : conflict.isEmpty() ? detail : detail + " | " + conflict;
        return List.of(
                e.stripeEventId(),
                e.type(),
                status,
                String.valueOf(e.attempts()),
                e.tenantId().orElse("-"),
                time(e.receivedAt()),
                detail);
    }

    /** Each event's stored payload, pretty-printed under a line naming it: what a replay would process. */
    static void printPayloads(PrintWriter out, List<StoredEvent> events, EventOperations operations) {
        for (StoredEvent event : events) {
            out.println();
            out.println("--- " + event.stripeEventId() + " " + event.type() + " payload:");
            out.println(operations
                    .find(event.stripeEventId())
                    .flatMap(StoredEvent::payload)
                    .map(EventTable::pretty)
                    .orElse("(no longer stored)"));
        }
        out.println();
    }

    static String pretty(String payload) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(payload));
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
