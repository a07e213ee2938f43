// Invoices, newest first, with Stripe's hosted page and PDF links; "Older invoices" pages back.
import { api, query } from "./api.js";
import { h, badge, money, day, latest } from "./dom.js";

const card = document.getElementById("invoices-card");
const error = card.querySelector("[data-error]");
const table = document.getElementById("invoices-table");
const empty = document.getElementById("invoices-empty");
const more = document.getElementById("invoices-more");
const LIMIT = 10;

let cursor = null;
const read = latest(error);

more.addEventListener("click", () => load(cursor, true));

export async function show() {
  card.hidden = false;
  table.classList.add("stacked");
  await refresh();
}

export function hide() {
  card.hidden = true;
}

/** Reloads the newest page (older pages the reader opened are dropped). */
export function refresh() {
  if (card.hidden) return Promise.resolve();
  return load(null, false);
}

async function load(before, append) {
  const page = await read(() => api("/api/v1/billing/invoices" + query({ limit: LIMIT, before })));
  if (page === undefined) return;
  const rows = page.invoices.map(row);
  if (append) table.tBodies[0].append(...rows);
  else table.tBodies[0].replaceChildren(...rows);
  empty.hidden = table.tBodies[0].children.length > 0;
  cursor = page.next_cursor ?? null;
  more.hidden = cursor === null;
}

/** Only http(s) links from the API become links. */
function safe(url) {
  try {
    return url && ["http:", "https:"].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

function row(invoice) {
  const number = invoice.number ?? invoice.stripe_invoice_id;
  const hosted = safe(invoice.hosted_invoice_url);
  const pdf = safe(invoice.invoice_pdf);
  return h("tr", { "data-invoice": invoice.stripe_invoice_id },
    h("td", { "data-label": "Number" }, number),
    h("td", { "data-label": "Status" }, badge(invoice.status)),
    h("td", { "data-label": "Total", class: "num" }, money(invoice.total, invoice.currency)),
    h("td", { "data-label": "Period" }, `${day(invoice.period_start)} – ${day(invoice.period_end)}`),
    h("td", { "data-label": "Links" },
      hosted
        ? h("a", { href: hosted, target: "_blank", rel: "noopener" }, "View", h("span", { class: "visually-hidden" }, ` invoice ${number}`))
        : null,
      hosted && pdf ? " · " : null,
      pdf
        ? h("a", { href: pdf, target: "_blank", rel: "noopener" }, "PDF", h("span", { class: "visually-hidden" }, ` of invoice ${number}`))
        : null));
}
