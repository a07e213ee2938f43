// Small DOM and formatting helpers. Text always goes in as text nodes: nothing from the API is parsed as HTML.

/** Creates an element: h("p", { class: "muted" }, "text", child). `on*` attributes become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Shows a message in an element (an error or status line), or hides it when the message is empty. */
export function say(element, message) {
  element.textContent = message ?? "";
  element.hidden = !message;
}

/** Disables a form's controls while `work` runs, so one click is one request. */
export async function busy(form, work) {
  const controls = [...form.querySelectorAll("button, input, select, textarea")];
  const before = controls.map((c) => c.disabled);
  controls.forEach((c) => { c.disabled = true; });
  try {
    return await work();
  } finally {
    controls.forEach((c, i) => { c.disabled = before[i]; });
  }
}

const fractionDigits = new Map();

/** Minor units to a price: 2900 usd → "$29.00"; zero-decimal currencies (jpy) as Stripe counts them. */
export function money(amount, currency) {
  if (amount === null || amount === undefined || !currency) return "—";
  const code = currency.toUpperCase();
  let format;
  try {
    format = new Intl.NumberFormat("en-US", { style: "currency", currency: code });
  } catch {
    return `${amount} ${currency}`;
  }
  if (!fractionDigits.has(code)) fractionDigits.set(code, format.resolvedOptions().maximumFractionDigits);
  return format.format(amount / 10 ** fractionDigits.get(code));
}

/** "2026-12-01 10:00 UTC": one format everywhere, independent of the browser's locale. */
export function when(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "2026-12-01" */
export function day(iso) {
  return iso ? new Date(iso).toISOString().slice(0, 10) : "—";
}

/** A status word and its tone: ok (green), warn (amber), bad (red), info (blue) or neutral. */
export function tone(status) {
  switch (status) {
    case "active": case "paid": case "succeeded": case "processed": case "complete": case "reported":
      return "ok";
    case "trialing": case "received": case "pending": case "draft": case "open": case "incomplete":
      return "info";
    case "past_due": case "unpaid": case "partially_refunded": case "refunded": case "paused":
      return "warn";
    case "failed": case "payment failed": case "canceled": case "incomplete_expired": case "uncollectible":
    case "void": case "deleted":
      return "bad";
    default:
      return "neutral";
  }
}

export function badge(status, label = status) {
  return h("span", { class: "badge", "data-tone": tone(status) }, label);
}

/**
 * A card's reads: only the newest read's answer counts (a slow older one is dropped), a failed read
 * shows its message in `errorLine`, and the next good read clears it (an action's error stays).
 * The returned function resolves to the answer, or to undefined when it failed or was overtaken.
 */
export function latest(errorLine) {
  let generation = 0;
  let failed = false;
  return async (read) => {
    const mine = ++generation;
    try {
      const answer = await read();
      if (mine !== generation) return undefined;
      if (failed) say(errorLine, "");
      failed = false;
      return answer;
    } catch (e) {
      if (mine === generation) {
        failed = true;
        say(errorLine, e.message);
      }
      return undefined;
    }
  };
}
