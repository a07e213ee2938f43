// The Usage card: record usage (feature, quantity), the period's totals per feature (reported,
// pending, failed) and a small chart of daily usage (uPlot, served from its WebJar).
import uPlot from "/webjars/uplot/dist/uPlot.esm.js";
import { api } from "./api.js";
import { h, say, busy, day, latest } from "./dom.js";
import { loadPlans } from "./subscription.js";

const card = document.getElementById("usage-card");
const body = card.querySelector("[data-body]");
const error = card.querySelector("[data-error]");
const DAY = 86_400;
const COLORS = ["#3446c9", "#0f7a3d", "#b3261e", "#8a5a00"];

let chart = null;
let resize = null;
let pendingTimer = null;
const read = latest(error);
let recordForm = null;
let xRange = [0, 1];
const status = h("p", { id: "usage-message", class: "ok", role: "status", hidden: true });
const period = h("p", { id: "usage-period", class: "muted" });
const table = h("table", { id: "usage-totals", class: "stacked" },
  h("caption", { class: "visually-hidden" }, "Usage totals per feature for the period"),
  h("thead", {}, h("tr", {},
    h("th", { scope: "col" }, "Feature"),
    h("th", { scope: "col", class: "num" }, "Reported"),
    h("th", { scope: "col", class: "num" }, "Pending"),
    h("th", { scope: "col", class: "num" }, "Failed"))),
  h("tbody"));
const chartBox = h("figure", { class: "chart", id: "usage-chart", "aria-labelledby": "usage-chart-caption" },
  h("figcaption", { id: "usage-chart-caption", class: "muted" }, "Daily usage in this period"));

/** Shows the card; `canRecord` adds the form (owners, admins and services report usage). */
export async function show({ reads, canRecord }) {
  card.hidden = false;
  const parts = [status];
  if (canRecord) parts.push(await form());
  if (reads) parts.push(period, h("div", { class: "table-wrap" }, table), chartBox);
  body.replaceChildren(...parts);
  if (reads) await refresh();
}

export function hide() {
  card.hidden = true;
  chart?.destroy();
  chart = null;
  resize?.disconnect();
  clearTimeout(pendingTimer);
}

async function form() {
  let features = [];
  try {
    features = [...new Set((await loadPlans()).flatMap((p) => p.metered_features ?? []))];
  } catch {
    // a service token reads no plans: the feature is then typed in
  }
  const feature = features.length
    ? h("select", { id: "usage-feature", name: "feature_key" }, features.map((f) => h("option", { value: f }, f)))
    : h("input", { id: "usage-feature", name: "feature_key", required: true, autocomplete: "off" });
  recordForm = h("form", { id: "usage-form" },
    h("div", { class: "row" },
      h("div", { class: "field" }, h("label", { for: "usage-feature" }, "Feature"), feature),
      h("div", { class: "field" },
        h("label", { for: "usage-quantity" }, "Quantity"),
        h("input", { id: "usage-quantity", name: "quantity", type: "number", min: 1, step: 1, value: 1, required: true, inputmode: "numeric" })),
      h("button", { type: "submit", id: "usage-submit" }, "Record usage")));
  recordForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(recordForm);
    const quantity = Number(data.get("quantity"));
    say(error, "");
    say(status, "");
    try {
      const answer = await busy(recordForm, () => api("/api/v1/billing/usage", {
        method: "POST",
        body: { feature_key: data.get("feature_key"), quantity },
      }));
      say(status, `Recorded ${quantity} × ${data.get("feature_key")} (${answer.status}).`);
      if (!table.isConnected) return;
      await refresh();
    } catch (e) {
      say(error, e.message);
    }
  });
  return recordForm;
}

export async function refresh() {
  if (card.hidden || !table.isConnected) return;
  const usage = await read(() => api("/api/v1/billing/usage"));
  if (usage === undefined) return;
  render(usage);
  // usage is reported to Stripe in the background: look again while some is still pending
  clearTimeout(pendingTimer);
  if (usage.features.some((f) => f.pending > 0)) {
    pendingTimer = setTimeout(() => { if (navigator.onLine) refresh(); }, 2000);
  }
}

function render(usage) {
  period.textContent = `Period ${day(usage.period_start)} – ${day(usage.period_end)}`;
  const rows = usage.features.map((f) =>
    h("tr", { "data-feature": f.feature_key },
      h("th", { scope: "row", "data-label": "Feature" }, f.feature_key),
      h("td", { class: "num", "data-label": "Reported", "data-total": "reported" }, String(f.reported)),
      h("td", { class: "num", "data-label": "Pending", "data-total": "pending" }, String(f.pending)),
      h("td", { class: "num", "data-label": "Failed", "data-total": "failed" }, String(f.failed))));
  table.tBodies[0].replaceChildren(...(rows.length
    ? rows
    : [h("tr", {}, h("td", { colspan: 4, class: "muted" }, "No usage recorded in this period."))]));
  draw(usage);
}

/** One series per feature over the days of the period up to today (days without usage are 0). */
function draw(usage) {
  const start = Math.floor(Date.parse(usage.period_start) / 1000 / DAY) * DAY;
  const periodEnd = Math.max(Date.parse(usage.period_end) / 1000, start + DAY);
  const until = Math.min(periodEnd, Math.max(Date.now() / 1000, start + 1));
  const days = [];
  for (let t = start; t < until && days.length < 400; t += DAY) days.push(t);
  const features = [...new Set([...usage.features.map((f) => f.feature_key), ...usage.daily.map((d) => d.feature_key)])];
  const series = features.map((feature) => days.map((t) => {
    const hit = usage.daily.find((d) => d.feature_key === feature && Date.parse(d.day) / 1000 === t);
    return hit ? hit.quantity : 0;
  }));
  const data = [days, ...series];
  xRange = [start, periodEnd];
  const width = Math.max(240, chartBox.clientWidth || 300);
  if (chart && chart.series.length === features.length + 1) {
    chart.setData(data);
    return;
  }
  chart?.destroy();
  chart = new uPlot({
    width,
    height: 160,
    // the whole period on the x axis, from 0 on the y axis, however few days have data yet
    scales: { x: { time: true, range: () => xRange }, y: { range: (u, min, max) => [0, Math.max(10, max)] } },
    axes: [{ space: 60 }, { size: 40 }],
    series: [{ label: "Day" }, ...features.map((f, i) => ({
      label: f,
      stroke: COLORS[i % COLORS.length],
      fill: `${COLORS[i % COLORS.length]}22`,
      width: 2,
      points: { show: true },
    }))],
  }, data, chartBox);
  chart.root.setAttribute("aria-hidden", "true"); // the table above says the same in words
  resize?.disconnect();
  resize = new ResizeObserver(() => {
    const next = Math.max(240, chartBox.clientWidth);
    if (chart && Math.abs(chart.width - next) > 1) chart.setSize({ width: next, height: 160 });
  });
  resize.observe(chartBox);
}
