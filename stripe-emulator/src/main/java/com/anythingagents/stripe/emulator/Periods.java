package com.anythingagents.stripe.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import tools.jackson.databind.JsonNode;

/** Billing period arithmetic in UTC calendar units, as Stripe bills monthly on the same day. */
final class Periods {

    private Periods() {}

    static long end(long start, JsonNode recurring) {
        ZonedDateTime from = Instant.ofEpochSecond(start).atZone(ZoneOffset.UTC);
        long count = recurring.path("interval_count").asLong(1);
        ZonedDateTime to = switch (recurring.path("interval").asString("month")) {
            case "day" -> from.plusDays(count);
            case "week" -> from.plusWeeks(count);
            case "year" -> from.plusYears(count);
            default -> from.plusMonths(count);
        };
        return to.toEpochSecond();
    }
}
