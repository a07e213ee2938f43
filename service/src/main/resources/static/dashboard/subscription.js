// The Subscription card: what the tenant has (plan, status, period, trial, seats) and, for owners and
// admins, what they can do: start (directly or through Stripe Checkout), change plan or seats,
// cancel at period end or now, resume, and open Stripe's billing portal.
import { api } from "./api.js";
import { h, say, busy, badge, money, when, latest } from "./dom.js";

const card = document.getElementById("subscription-card");
const body = card.querySelector("[data-body]");
const error = card.querySelector("[data-error]");
const status = h("p", { id: "subscription-message", class: "ok", role: "status", hidden: true });
card.insertBefore(status, body);

let plans = null;
let writes = false;
let current = null;
const read = latest(error);

function planLabel(plan) {
  return `${plan.product_name} — ${money(plan.amount, plan.currency)} / ${plan.interval}`;
}

function planName(code) {
  const plan = plans?.find((p) => p.plan_code === code);
  return plan ? plan.product_name : code ?? "—";
}

function planOptions(selected) {
  return (plans ?? []).map((p) => h("option", { value: p.plan_code, selected: p.plan_code === selected }, planLabel(p)));
}

export async function loadPlans() {
  if (plans) return plans;
  const answer = await api("/api/v1/billing/plans");
  plans = answer.plans;
  return plans;
}

export function plansKnown() {
  return plans ?? [];
}

/** Shows the card for a reader; `canWrite` adds the actions. */
export async function show(canWrite) {
  writes = canWrite;
  card.hidden = false;
  await refresh();
}

export async function refresh() {
  const subscription = await read(async () => {
    await loadPlans();
    try {
      return (await api("/api/v1/billing/subscription")).subscription;
    } catch (e) {
      if (e.code === "no_subscription") return null;
      throw e;
    }
  });
  if (subscription === undefined) return;
  current = subscription;
  render();
}

function render() {
  const focused = document.activeElement?.id;
  body.replaceChildren(...(current ? existing(current) : none()));
  if (focused && card.contains(document.getElementById(focused))) document.getElementById(focused).focus();
}

function none() {
  const nodes = [h("p", { id: "subscription-none" }, "No subscription yet.")];
  if (!writes) return nodes;
  const form = h(
    "form",
    { id: "start-form", class: "stack" },
    h("div", { class: "row" },
      h("div", { class: "field" },
        h("label", { for: "start-plan" }, "Plan"),
        h("select", { id: "start-plan", name: "plan_code" }, planOptions(plans?.[0]?.plan_code))),
      h("div", { class: "field" },
        h("label", { for: "start-seats" }, "Seats"),
        h("input", { id: "start-seats", name: "quantity", type: "number", min: 1, max: 100000, value: 1, required: true, inputmode: "numeric" }))),
    h("div", { class: "row" },
      h("div", { class: "field" },
        h("label", { for: "start-trial" }, "Trial days (optional)"),
        h("input", { id: "start-trial", name: "trial_days", type: "number", min: 1, max: 730, inputmode: "numeric" })),
      h("div", { class: "field" },
        h("label", { for: "start-email" }, "Billing email (optional)"),
        h("input", { id: "start-email", name: "billing_email", type: "email", autocomplete: "email" }))),
    h("div", { class: "actions" },
      h("button", { type: "submit", id: "start-direct", name: "how", value: "direct" }, "Start subscription"),
      h("button", { type: "submit", id: "start-checkout", name: "how", value: "checkout", class: "secondary" }, "Check out on Stripe")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const how = event.submitter?.value ?? "direct";
    const data = new FormData(form);
    const quantity = Number(data.get("quantity"));
    run(form, async () => {
      if (how === "checkout") {
        const back = `${location.origin}/`;
        const session = await api("/api/v1/billing/checkout", {
          method: "POST",
          body: {
            plan_code: data.get("plan_code"),
            quantity,
            success_url: `${back}?checkout=success`,
            cancel_url: `${back}?checkout=canceled`,
          },
        });
        location.assign(session.url);
        return "Opening Stripe Checkout…";
      }
      const request = { plan_code: data.get("plan_code"), quantity };
      if (data.get("trial_days")) request.trial_days = Number(data.get("trial_days"));
      if (data.get("billing_email")) request.billing_email = data.get("billing_email");
      const started = await api("/api/v1/billing/start", { method: "POST", body: request });
      current = started.subscription;
      render();
      return `Subscription started: ${current.status}.`;
    });
  });
  nodes.push(form);
  return nodes;
}

function existing(s) {
  const nodes = [
    h("dl", { class: "facts", id: "subscription-facts" },
      h("dt", {}, "Plan"), h("dd", { id: "subscription-plan" }, planName(s.plan_code)),
      h("dt", {}, "Status"), h("dd", { id: "subscription-status" }, badge(s.status)),
      h("dt", {}, "Period"), h("dd", {}, `${when(s.current_period_start)} – ${when(s.current_period_end)}`),
      s.trial_end ? [h("dt", {}, "Trial ends"), h("dd", {}, when(s.trial_end))] : null,
      h("dt", {}, "Seats"), h("dd", { id: "subscription-seats" }, String(s.quantity)),
      s.cancel_at_period_end ? [h("dt", {}, "Cancels"), h("dd", {}, `at period end, ${when(s.current_period_end)}`)] : null,
      s.canceled_at ? [h("dt", {}, "Canceled"), h("dd", {}, when(s.canceled_at))] : null,
      s.ended_at ? [h("dt", {}, "Ended"), h("dd", {}, when(s.ended_at))] : null,
      h("dt", {}, "Stripe"), h("dd", {}, h("code", { id: "subscription-id" }, s.stripe_subscription_id), " · ",
        h("code", { id: "subscription-customer" }, s.stripe_customer_id)),
    ),
  ];
  const ended = s.status === "canceled" || s.status === "incomplete_expired";
  if (!writes || ended) {
    if (writes && ended) nodes.push(h("p", { class: "muted" }, "This subscription has ended."));
    return nodes;
  }

  const change = h("form", { id: "change-plan-form" },
    h("fieldset", {},
      h("legend", {}, "Change plan"),
      h("div", { class: "row" },
        h("div", { class: "field" },
          h("label", { for: "change-plan" }, "New plan"),
          h("select", { id: "change-plan", name: "plan_code" }, planOptions(s.plan_code))),
        h("div", { class: "field" },
          h("label", { for: "change-proration" }, "Proration"),
          h("select", { id: "change-proration", name: "proration" },
            h("option", { value: "create_prorations" }, "on the next invoice"),
            h("option", { value: "always_invoice" }, "invoice now"),
            h("option", { value: "none" }, "none"))),
        h("button", { type: "submit", id: "change-plan-submit" }, "Change plan"))));
  change.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(change);
    run(change, async () => {
      const answer = await api("/api/v1/billing/update", {
        method: "POST",
        body: { plan_code: data.get("plan_code"), proration: data.get("proration") },
      });
      current = answer.subscription;
      render();
      return `Plan changed to ${planName(current.plan_code)}: ${current.status}.`;
    });
  });

  const seats = h("form", { id: "seats-form" },
    h("fieldset", {},
      h("legend", {}, "Seats"),
      h("div", { class: "row" },
        h("div", { class: "field" },
          h("label", { for: "seats-quantity" }, "Seats"),
          h("input", { id: "seats-quantity", name: "quantity", type: "number", min: 1, max: 100000, value: s.quantity, required: true, inputmode: "numeric" })),
        h("button", { type: "submit", id: "seats-submit" }, "Update seats"))));
  seats.addEventListener("submit", (event) => {
    event.preventDefault();
    const quantity = Number(new FormData(seats).get("quantity"));
    run(seats, async () => {
      const answer = await api("/api/v1/billing/update", { method: "POST", body: { quantity } });
      current = answer.subscription;
      render();
      return `Seats set to ${current.quantity}.`;
    });
  });

  const actions = h("form", { id: "subscription-actions", class: "actions", "aria-label": "Cancel or manage" },
    s.cancel_at_period_end
      ? h("button", { type: "submit", value: "resume", class: "secondary", id: "resume" }, "Keep subscription")
      : h("button", { type: "submit", value: "cancel-at-end", class: "danger", id: "cancel-at-end" }, "Cancel at period end"),
    h("button", { type: "submit", value: "cancel-now", class: "danger", id: "cancel-now" }, "Cancel now"),
    h("button", { type: "submit", value: "portal", class: "secondary", id: "open-portal" }, "Billing portal"));
  actions.addEventListener("submit", (event) => {
    event.preventDefault();
    const what = event.submitter?.value;
    run(actions, async () => {
      if (what === "portal") {
        const portal = await api("/api/v1/billing/portal", {
          method: "POST",
          body: { return_url: `${location.origin}/?portal=returned` },
        });
        location.assign(portal.url);
        return "Opening the billing portal…";
      }
      if (what === "cancel-now" && !confirm("Cancel the subscription now? It ends immediately.")) return null;
      const answer = what === "resume"
        ? await api("/api/v1/billing/update", { method: "POST", body: { cancel_at_period_end: false } })
        : await api("/api/v1/billing/cancel", { method: "POST", body: { at_period_end: what === "cancel-at-end" } });
      current = answer.subscription;
      render();
      return what === "resume" ? "The subscription continues." :
        what === "cancel-now" ? "Subscription canceled." : "The subscription ends at the end of the period.";
    });
  });

  nodes.push(change, seats, actions);
  return nodes;
}

/** Runs an action: the form is disabled meanwhile; its outcome or the API's message is shown. */
async function run(form, action) {
  say(error, "");
  say(status, "");
  try {
    const message = await busy(form, action);
    if (message) say(status, message);
  } catch (e) {
    say(error, e.message);
  }
}
