// The Billing Activity panel: the tenant's history first (GET /api/v1/billing/activity), then the
// live stream from exactly that position, newest on top. Every item is shown once, keyed by its seq,
// and a Stripe event has one bubble: its newer item (a failed event processed at last, which the
// ledger records again under a new seq) replaces the bubble shown for it.
import { api, query } from "./api.js";
import { BillingStream } from "./stream.js";
import { h, say, badge, money, when, tone } from "./dom.js";

const PAGE = 50;

/** The billing status as people say it: a failed invoice payment or charge is "payment failed". */
export function billingLabel(item) {
  if (item.event_type === "invoice.payment_failed" || item.event_type === "charge.failed") return "payment failed";
  return item.billing_status ?? null;
}

export class ActivityPanel {
  #list = document.getElementById("activity-list");
  #empty = document.getElementById("activity-empty");
  #older = document.getElementById("activity-older");
  #error = document.querySelector("#activity-card [data-error]");
  #seen = new Set();
  #byEvent = new Map(); // stripe_event_id → { seq, element } of the bubble shown for it
  #stream = null;
  #tenant = null;
  #nextBefore = null;
  #generation = 0;
  #onItem;
  #onState;

  constructor({ onItem, onState }) {
    this.#onItem = onItem;
    this.#onState = onState;
    this.#older.addEventListener("click", () => this.#loadOlder());
  }

  /** Shows a tenant's activity (null: the token's own tenant) and follows it live. */
  async open(tenant = null) {
    this.close();
    const generation = ++this.#generation;
    this.#tenant = tenant;
    this.#seen.clear();
    this.#byEvent.clear();
    this.#list.replaceChildren();
    this.#empty.textContent = "Nothing has happened yet. Billing activity appears here as it happens.";
    say(this.#error, "");
    this.#onState("connecting", "");
    let page;
    try {
      page = await api("/api/v1/billing/activity" + query({ tenant, limit: PAGE }));
    } catch (error) {
      if (generation !== this.#generation) return;
      say(this.#error, error.message);
      this.#onState("offline", error.message);
      return;
    }
    if (generation !== this.#generation) return;
    for (const item of page.activity) this.#place(item, false);
    this.#nextBefore = page.next_before ?? null;
    this.#older.hidden = this.#nextBefore === null;
    this.#updateEmpty();
    const since = page.activity.length ? page.activity[0].seq : 0;
    this.#stream = new BillingStream({
      since,
      tenant,
      onItem: (item) => {
        if (this.#place(item, true)) {
          this.#updateEmpty();
          this.#onItem(item);
        }
      },
      onState: (state, reason) => this.#onState(state, reason),
    }).start();
  }

  /** Nothing to follow yet (an operator without a tenant): says what to do instead. */
  idle(message) {
    this.close();
    this.#seen.clear();
    this.#byEvent.clear();
    this.#list.replaceChildren();
    this.#older.hidden = true;
    this.#empty.textContent = message;
    this.#empty.hidden = false;
  }

  close() {
    this.#generation++;
    this.#stream?.stop();
    this.#stream = null;
  }

  async #loadOlder() {
    if (this.#nextBefore === null) return;
    try {
      const page = await api(
        "/api/v1/billing/activity" + query({ tenant: this.#tenant, before: this.#nextBefore, limit: PAGE }));
      for (const item of page.activity) this.#place(item, false);
      this.#nextBefore = page.next_before ?? null;
      this.#older.hidden = this.#nextBefore === null;
      say(this.#error, "");
    } catch (error) {
      say(this.#error, error.message);
    }
  }

  #updateEmpty() {
    this.#empty.hidden = this.#list.children.length > 0;
  }

  /**
   * Inserts an item in seq order (newest first) unless it is shown already; an item of a Stripe event
   * already shown under an older seq replaces that bubble. Says whether it was new.
   */
  #place(item, live) {
    if (typeof item.seq !== "number" || this.#seen.has(item.seq)) return false;
    const event = item.stripe_event_id || null;
    const shown = event ? this.#byEvent.get(event) : undefined;
    if (shown && shown.seq > item.seq) return false; // the event's newer item is shown already
    this.#seen.add(item.seq);
    shown?.element.remove(); // its seq stays seen: the ledger no longer has it, the stream never resends it
    const element = bubble(item, live);
    if (event) this.#byEvent.set(event, { seq: item.seq, element });
    const after = [...this.#list.children].find((li) => Number(li.dataset.seq) < item.seq);
    this.#list.insertBefore(element, after ?? null);
    return true;
  }
}

function bubble(item, live) {
  const billing = billingLabel(item);
  const processingTone = tone(item.processing_status);
  const itemTone = processingTone === "bad" ? "bad" : billing ? tone(billing) : processingTone;
  const amount = item.amount !== null && item.amount !== undefined ? money(item.amount, item.currency) : null;
  const usage = item.usage_quantity !== null && item.usage_quantity !== undefined ? `${item.usage_quantity} units` : null;
  return h(
    "li",
    {
      class: live ? "activity-item fresh" : "activity-item",
      "data-seq": item.seq,
      "data-type": item.event_type,
      "data-event": item.stripe_event_id ?? "",
      "data-processing": item.processing_status,
      "data-billing": billing ?? "",
      "data-tone": itemTone,
    },
    h(
      "div",
      { class: "activity-head" },
      badge(item.processing_status, item.processing_status),
      billing ? badge(billing, billing) : null,
      h("span", { class: "activity-type" }, item.event_type),
    ),
    h("p", { class: "activity-summary" }, item.summary ?? ""),
    h(
      "p",
      { class: "activity-meta" },
      [`#${item.seq}`, when(item.occurred_at), amount, usage, item.plan_code ? `plan ${item.plan_code}` : null]
        .filter(Boolean)
        .join(" · "),
    ),
  );
}
