// The Stripe events ledger: a tenant's own events (GET /api/v1/billing/events), or for operators
// every tenant's (GET /api/v1/admin/stripe-events) with a Replay button on failed events. Filters by
// status and type; keyset pages (older / newer).
import { api, query } from "./api.js";
import { h, say, badge, when, latest } from "./dom.js";

const card = document.getElementById("ledger-card");
const error = card.querySelector("[data-error]");
const status = card.querySelector("[data-status]");
const filters = document.getElementById("ledger-filters");
const table = document.getElementById("ledger-table");
const empty = document.getElementById("ledger-empty");
const newer = document.getElementById("ledger-newer");
const older = document.getElementById("ledger-older");
const pageLabel = document.getElementById("ledger-page");
const LIMIT = 20;

let operator = false;
// the `before` cursor of each page seen so far; the last one is the page shown
let cursors = [null];
let next = null;
const read = latest(error);

filters.addEventListener("submit", (event) => {
  event.preventDefault();
  cursors = [null];
  say(status, "");
  refresh();
});
older.addEventListener("click", () => {
  if (next === null) return;
  cursors.push(next);
  refresh();
});
newer.addEventListener("click", () => {
  if (cursors.length < 2) return;
  cursors.pop();
  refresh();
});

export async function show(asOperator) {
  operator = asOperator;
  card.hidden = false;
  table.classList.add("stacked");
  card.querySelectorAll("[data-operator-only]").forEach((e) => { e.hidden = !operator; });
  document.getElementById("ledger-title").textContent = operator ? "Stripe events (all tenants)" : "Stripe events";
  const head = ["Received", "Type", "Status", ...(operator ? ["Tenant", "Attempts", "Error", ""] : []), "Event"];
  table.tHead.replaceChildren(h("tr", {}, head.map((title) =>
    title ? h("th", { scope: "col" }, title) : h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))));
  cursors = [null];
  await refresh();
}

export function hide() {
  card.hidden = true;
}

export async function refresh() {
  if (card.hidden) return;
  const data = new FormData(filters);
  const before = cursors[cursors.length - 1];
  const path = operator
    ? "/api/v1/admin/stripe-events" + query({
      status: data.get("status") || "all", type: data.get("type")?.trim(), tenant: data.get("tenant")?.trim(), before, limit: LIMIT })
    : "/api/v1/billing/events" + query({ status: data.get("status"), type: data.get("type")?.trim(), before, limit: LIMIT });
  const page = await read(() => api(path));
  if (page === undefined) return;
  next = page.next_before ?? null;
  table.tBodies[0].replaceChildren(...page.events.map(row));
  empty.hidden = page.events.length > 0;
  older.disabled = next === null;
  newer.disabled = cursors.length < 2;
  pageLabel.textContent = `Page ${cursors.length}`;
}

function row(event) {
  const cells = [
    h("td", { "data-label": "Received" }, when(event.received_at)),
    h("td", { "data-label": "Type" }, h("code", {}, event.type)),
    h("td", { "data-label": "Status", "data-status": event.status },
      badge(event.status), event.dead ? [" ", badge("failed", "waits for replay")] : null),
  ];
  if (operator) {
    cells.push(
      h("td", { "data-label": "Tenant" }, event.tenant_id ?? "—"),
      h("td", { "data-label": "Attempts", class: "num" }, String(event.attempts ?? 0)),
      h("td", { "data-label": "Error" }, event.last_error ?? ""),
      h("td", { "data-label": "Actions" }, event.status === "failed"
        ? h("button", {
          type: "button",
          class: "secondary",
          "aria-label": `Replay ${event.event_id}`,
          onclick: (click) => replay(event, click.currentTarget),
        }, "Replay")
        : null),
    );
  }
  cells.push(h("td", { "data-label": "Event" }, h("code", {}, event.event_id)));
  return h("tr", { "data-event": event.event_id }, cells);
}

async function replay(event, button) {
  button.disabled = true;
  say(error, "");
  say(status, "");
  try {
    const after = await api(`/api/v1/admin/stripe-events/${encodeURIComponent(event.event_id)}/replay`, { method: "POST" });
    const line = document.querySelector(`#ledger-table tr[data-event="${CSS.escape(event.event_id)}"]`);
    line?.replaceWith(row(after));
    say(status, after.status === "processed"
      ? `Replayed ${after.event_id}: processed.`
      : `Replayed ${after.event_id}: ${after.status}${after.last_error ? ` (${after.last_error})` : ""}.`);
  } catch (e) {
    button.disabled = false;
    say(error, e.message);
  }
}
