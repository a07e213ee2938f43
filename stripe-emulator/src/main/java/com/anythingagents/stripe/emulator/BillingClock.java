package com.anythingagents.stripe.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Advances the emulator clock boundary by boundary, so every trial end, cancellation, period roll
 * and Checkout Session expiry happens (and stamps its events) at its own moment, in time order.
 */
final class BillingClock {

    private static final long TRIAL_WILL_END_LEAD = 3 * 86_400;
    private static final List<String> LIVE = List.of("trialing", "active", "past_due", "unpaid");

    private enum Kind {
        CHECKOUT_EXPIRES,
        TRIAL_WILL_END,
        CANCEL,
        TRIAL_END,
        PERIOD_END
    }

    /** Something due at {@code at}: {@code target} is a subscription, or a Checkout Session. */
    private record Due(ObjectNode target, Kind kind, long at) {}

    private final Emulation emu;
    private final Subscriptions subscriptions;
    private final Invoicing invoicing;
    private final CheckoutSessions checkout;

    BillingClock(Emulation emu, Subscriptions subscriptions, Invoicing invoicing, CheckoutSessions checkout) {
        this.emu = emu;
        this.subscriptions = subscriptions;
        this.invoicing = invoicing;
        this.checkout = checkout;
    }

    void advanceTo(Instant target) {
        Optional<Due> next = nextDue();
        while (next.isPresent() && next.get().at() <= target.getEpochSecond()) {
            emu.clock().moveTo(Instant.ofEpochSecond(next.get().at()));
            handle(next.get());
            next = nextDue();
        }
        emu.clock().moveTo(target);
    }

    private Optional<Due> nextDue() {
        List<Due> candidates = new java.util.ArrayList<>();
        for (ObjectNode sub : emu.store().values("subscription")) {
            if (LIVE.contains(sub.get("status").asString())) {
                candidates.addAll(dues(sub));
            }
        }
        for (ObjectNode session : emu.store().values(CheckoutSessions.TABLE)) {
            if ("open".equals(session.get("status").asString())) {
                candidates.add(new Due(
                        session,
                        Kind.CHECKOUT_EXPIRES,
                        session.get("expires_at").asLong()));
            }
        }
        Due best = null;
        for (Due due : candidates) {
            if (best == null
                    || due.at() < best.at()
                    || due.at() == best.at()
                            && due.kind().ordinal() < best.kind().ordinal()) {
                best = due;
            }
        }
        return Optional.ofNullable(best);
    }

    private List<Due> dues(ObjectNode sub) {
        List<Due> dues = new java.util.ArrayList<>();
        long periodEnd =
                SubscriptionItems.of(sub).get(0).get("current_period_end").asLong();
        if (sub.hasNonNull("cancel_at")) {
            dues.add(new Due(sub, Kind.CANCEL, sub.get("cancel_at").asLong()));
        }
        if ("trialing".equals(sub.get("status").asString())) {
            long trialEnd = sub.get("trial_end").asLong();
            boolean warned = emu.store()
                    .find("_trial_will_end_sent", sub.get("id").asString())
                    .isPresent();
            if (!warned && trialEnd - TRIAL_WILL_END_LEAD > sub.get("created").asLong()) {
                dues.add(new Due(sub, Kind.TRIAL_WILL_END, trialEnd - TRIAL_WILL_END_LEAD));
            }
            dues.add(new Due(sub, Kind.TRIAL_END, trialEnd));
        } else {
            dues.add(new Due(sub, Kind.PERIOD_END, periodEnd));
        }
        return dues;
    }

    private void handle(Due due) {
        ObjectNode target = due.target();
        switch (due.kind()) {
            case TRIAL_WILL_END -> {
                emu.store().put("_trial_will_end_sent", target.get("id").asString(), StripeJson.object());
                emu.events().emit("customer.subscription.trial_will_end", target);
            }
            case CANCEL -> subscriptions.cancel(target);
            case CHECKOUT_EXPIRES -> checkout.expire(target);
            case TRIAL_END, PERIOD_END -> roll(target, due.kind() == Kind.TRIAL_END);
        }
    }

    private void roll(ObjectNode sub, boolean trialEnded) {
        ObjectNode before = sub.deepCopy();
        ObjectNode first = SubscriptionItems.of(sub).get(0);
        long closedStart = first.get("current_period_start").asLong();
        long closedEnd = first.get("current_period_end").asLong();
        long newEnd = Periods.end(closedEnd, first.path("price").path("recurring"));
        for (ObjectNode item : SubscriptionItems.of(sub)) {
            item.put("current_period_start", closedEnd);
            item.put("current_period_end", newEnd);
        }
        if (trialEnded) {
            sub.put("status", "active");
        }
        String invoiceId = Ids.next("in");
        sub.put("latest_invoice", invoiceId);
        // Stripe announces the new period before the invoice events that bill it
        emu.events().emit("customer.subscription.updated", sub, Events.previousAttributes(before, sub));
        invoicing.cycleInvoice(sub, invoiceId, closedStart, closedEnd, trialEnded);
    }
}
