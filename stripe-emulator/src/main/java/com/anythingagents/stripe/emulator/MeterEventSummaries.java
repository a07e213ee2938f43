package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.math.BigDecimal;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/billing/meters/{id}/event_summaries}: what a meter recorded for one customer, as
 * one summary for the range or one per hour or day ({@code value_grouping_window}), newest first
 * with empty windows left out. Times must sit on minute boundaries, windows on their own, as in
 * Stripe. One pass over the meter's events, whatever the number of windows.
 */
final class MeterEventSummaries {

    private final Emulation emu;
    private final Meters meters;

    MeterEventSummaries(Emulation emu, Meters meters) {
        this.emu = emu;
        this.meters = meters;
    }

    void register(Router router) {
        router.route("GET", "/v1/billing/meters/{id}/event_summaries", this::list);
    }

    private ObjectNode list(ApiRequest request) {
        ObjectNode meter = emu.store().require("billing.meter", request.pathParam("id"));
        String customer = request.requireString("customer");
        long start = request.integer("start_time").orElseThrow(() -> StripeException.missing("start_time"));
        long end = request.integer("end_time").orElseThrow(() -> StripeException.missing("end_time"));
        String window = request.string("value_grouping_window").orElse("");
        long step = switch (window) {
            case "" -> 60;
            case "hour" -> 3_600;
            case "day" -> 86_400;
            default ->
                throw StripeException.invalid("value_grouping_window", "Invalid value_grouping_window: " + window);
        };
        if (start % step != 0 || end % step != 0) {
            throw StripeException.invalid(
                    start % step != 0 ? "start_time" : "end_time",
                    "start_time and end_time must be aligned with " + (window.isEmpty() ? "minute" : window)
                            + " boundaries.");
        }
        if (end <= start) {
            throw StripeException.invalid("end_time", "end_time must be after start_time.");
        }
        String meterId = meter.get("id").asString();
        List<MeterEventLog.Row> events = meters.events(meter, customer, start, end);
        var data = StripeJson.array();
        if (window.isEmpty()) {
            data.add(summary(meterId, Meters.aggregate(meter, events), start, end));
        } else {
            TreeMap<Long, List<MeterEventLog.Row>> byWindow = events.stream()
                    .collect(
                            Collectors.groupingBy(e -> e.timestamp() / step * step, TreeMap::new, Collectors.toList()));
            byWindow.descendingMap()
                    .forEach((from, inWindow) ->
                            data.add(summary(meterId, Meters.aggregate(meter, inWindow), from, from + step)));
        }
        return StripeJson.list("/v1/billing/meters/" + meterId + "/event_summaries", data, false);
    }

    private static ObjectNode summary(String meterId, BigDecimal value, long start, long end) {
        ObjectNode summary = StripeJson.object();
        summary.put("id", Ids.next("mtrsum"));
        summary.put("object", "billing.meter_event_summary");
        // integral sums print as integers (15, not 15.0), as Stripe shows them
        summary.put(
                "aggregated_value", new BigDecimal(value.stripTrailingZeros().toPlainString()));
        summary.put("end_time", end);
        summary.put("livemode", false);
        summary.put("meter", meterId);
        summary.put("start_time", start);
        return summary;
    }
}
