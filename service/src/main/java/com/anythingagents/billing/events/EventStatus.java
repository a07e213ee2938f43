package com.anythingagents.billing.events;

import java.util.Locale;

/** Where a stored event is: waiting (or leased) for a worker, done, or failed (retrying or dead). */
public enum EventStatus {
    RECEIVED,
    PROCESSED,
    FAILED;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventStatus fromColumn(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
