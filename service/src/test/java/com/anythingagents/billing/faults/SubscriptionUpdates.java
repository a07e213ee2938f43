package com.anythingagents.billing.faults;

import java.nio.charset.StandardCharsets;

/**
 * Realistic {@code customer.subscription.updated} events whose effects can be counted: each has its
 * own tenant (in the subscription's metadata) and subscription, so a processed event leaves exactly
 * one {@code billing_subscriptions} row and one {@code billing_activity} row, and needs no Stripe call
 * (the payload is complete and never ties with another event).
 */
record SubscriptionUpdates(String run) {

    static final String PRICE_MAP = "crash=price_crash";

    static SubscriptionUpdates newRun() {
        return new SubscriptionUpdates(Long.toString(System.nanoTime(), 36));
    }

    StripeLikeSender.Event event(long n) {
        String key = run + "_" + n;
        long created = System.currentTimeMillis() / 1000;
        String body = """
                {"id":"evt_crash_%1$s","object":"event","api_version":"2026-07-29.dahlia","created":%2$d,\
                "livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},\
                "type":"customer.subscription.updated","data":{"object":{"id":"sub_crash_%1$s",\
                "object":"subscription","customer":"cus_crash_%1$s","status":"active","cancel_at_period_end":false,\
                "currency":"usd","created":%2$d,"metadata":{"tenant_id":"tenant-%1$s"},"items":{"object":"list",\
                "has_more":false,"url":"/v1/subscription_items","data":[{"id":"si_crash_%1$s",\
                "object":"subscription_item","quantity":1,"current_period_start":%2$d,"current_period_end":%3$d,\
                "price":{"id":"price_crash","object":"price","currency":"usd","unit_amount":2900,\
                "recurring":{"interval":"month","interval_count":1,"usage_type":"licensed"}}}]}},\
                "previous_attributes":{"status":"trialing"}}}""".formatted(key, created, created + 2_592_000);
        return new StripeLikeSender.Event("evt_crash_" + key, body.getBytes(StandardCharsets.UTF_8));
    }
}
