package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.math.BigDecimal;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/billing/meters} and the usage sums that metered invoice lines and summaries are built from. */
final class Meters {

    private final Emulation emu;

    Meters(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("POST", "/v1/billing/meters", this::create)
                .route(
                        "GET",
                        "/v1/billing/meters",
                        r -> ListPage.of(r, emu.store().all("billing.meter"), "/v1/billing/meters"))
                .route("GET", "/v1/billing/meters/{id}", r -> emu.store().require("billing.meter", r.pathParam("id")))
                .route("POST", "/v1/billing/meters/{id}", this::update);
    }

    private ObjectNode create(ApiRequest request) {
        String formula = request.node("default_aggregation")
                .map(n -> n.path("formula").asString("sum"))
                .orElse("sum");
        if (!List.of("sum", "count", "last").contains(formula)) {
            throw StripeException.invalid("default_aggregation[formula]", "Invalid formula: " + formula);
        }
        ObjectNode m = StripeJson.object();
        m.put("id", Ids.next("mtr"));
        m.put("object", "billing.meter");
        m.put("created", emu.now());
        ObjectNode mapping = m.putObject("customer_mapping");
        mapping.put(
                "event_payload_key", nested(request, "customer_mapping", "event_payload_key", "stripe_customer_id"));
        mapping.put("type", nested(request, "customer_mapping", "type", "by_id"));
        m.putObject("default_aggregation").put("formula", formula);
        m.put("display_name", request.requireString("display_name"));
        m.put("event_name", request.requireString("event_name"));
        m.putNull("event_time_window");
        m.put("livemode", false);
        m.put("status", "active");
        m.putObject("status_transitions").putNull("deactivated_at");
        m.put("updated", emu.now());
        m.putObject("value_settings")
                .put("event_payload_key", nested(request, "value_settings", "event_payload_key", "value"));
        boolean taken = emu.store().all("billing.meter").stream()
                .anyMatch(o -> o.get("event_name").equals(m.get("event_name"))
                        && "active".equals(o.path("status").asString()));
        if (taken) {
            throw StripeException.invalid(
                    "event_name",
                    "An active meter with event_name `" + m.get("event_name").asString() + "` already exists.");
        }
        emu.store().put(m);
        return m;
    }

    private static String nested(ApiRequest request, String parent, String field, String fallback) {
        return request.node(parent).map(n -> n.path(field).asString(fallback)).orElse(fallback);
    }

    private ObjectNode update(ApiRequest request) {
        ObjectNode m = emu.store().require("billing.meter", request.pathParam("id"));
        Metadata.copyStrings(m, request, "display_name");
        m.put("updated", emu.now());
        return m;
    }

    /** The meter's events for one customer with start ≤ timestamp < end, oldest first. */
    List<MeterEventLog.Row> events(ObjectNode meter, String customerId, long start, long end) {
        String customerKey =
                meter.path("customer_mapping").path("event_payload_key").asString();
        String eventName = meter.get("event_name").asString();
        return emu.store().meterEvents().rows().stream()
                .filter(e -> e.eventName().equals(eventName))
                .filter(e -> customerId.equals(e.payload(customerKey)))
                .filter(e -> e.timestamp() >= start && e.timestamp() < end)
                .toList();
    }

    /** Aggregated value of the meter's events for one customer with start ≤ timestamp < end. */
    BigDecimal usage(ObjectNode meter, String customerId, long start, long end) {
        return aggregate(meter, events(meter, customerId, start, end));
    }

    /** The meter's formula ({@code sum}, {@code count}, {@code last}) over these events. */
    static BigDecimal aggregate(ObjectNode meter, List<MeterEventLog.Row> events) {
        String valueKey = meter.path("value_settings").path("event_payload_key").asString();
        String formula = meter.path("default_aggregation").path("formula").asString();
        return switch (formula) {
            case "count" -> BigDecimal.valueOf(events.size());
            case "last" ->
                events.stream()
                        .max(java.util.Comparator.comparingLong(MeterEventLog.Row::timestamp))
                        .map(e -> value(e, valueKey))
                        .orElse(BigDecimal.ZERO);
            default -> events.stream().map(e -> value(e, valueKey)).reduce(BigDecimal.ZERO, BigDecimal::add);
        };
    }

    private static BigDecimal value(MeterEventLog.Row event, String valueKey) {
        String value = event.payload(valueKey);
        return value == null ? BigDecimal.ZERO : new BigDecimal(value);
    }
}
