package com.anythingagents.billing.events;

import java.util.Optional;

/**
 * Which tenant an event is processed under, and what the evidence said.
 * @param tenant empty: unassigned (stored, processed, filled in when the customer is linked)
 * @param conflict evidence that named another tenant and lost, with both values, for operators
 * @param linked whether resolving this event linked its customer to {@code tenant}
 */
public record TenantResolution(Optional<String> tenant, Optional<String> conflict, boolean linked) {

    public static TenantResolution none() {
        return new TenantResolution(Optional.empty(), Optional.empty(), false);
    }

    public static TenantResolution of(String tenant) {
        return new TenantResolution(Optional.of(tenant), Optional.empty(), false);
    }
}
