package com.anythingagents.billing.setup;

import java.util.List;

/** The event types the service applies: what a webhook endpoint created by setup subscribes to. */
public final class WebhookEvents {

    /** Kept equal to the handlers' own lists by {@code WebhookEventsTests}. */
    public static final List<String> HANDLED = List.of(
            "customer.created",
            "customer.updated",
            "customer.deleted",
            "customer.subscription.created",
            "customer.subscription.updated",
            "customer.subscription.deleted",
            "customer.subscription.paused",
            "customer.subscription.resumed",
            "customer.subscription.trial_will_end",
            "invoice.created",
            "invoice.finalized",
            "invoice.paid",
            "invoice.payment_succeeded",
            "invoice.payment_failed",
            "invoice.payment_action_required",
            "invoice.voided",
            "invoice.marked_uncollectible",
            "charge.succeeded",
            "charge.failed",
            "charge.refunded",
            "checkout.session.completed");

    private WebhookEvents() {}
}
