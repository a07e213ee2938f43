// The billing dashboard in a real browser against the real service in local mode: Stripe is the
// in-process emulator, whose webhooks drive every bubble. The tests run in order and build on each
// other's tenant (a subscription started in one is paid, metered and failed in the next ones).
// Nothing waits for time: every wait is for an element, a text or a state, bounded by UI_TIMEOUT_MS.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, startService, withPage, UI_TIMEOUT_MS } from "./harness.mjs";

const RUN = Date.now().toString(36);
const TENANT = `e2e-${RUN}-acme`;
const CHECKOUT_TENANT = `e2e-${RUN}-checkout`;

let service;
let chromium;
let customer; // TENANT's Stripe customer, once its subscription started

before(async () => {
  service = await startService();
  chromium = await launchBrowser();
}, { timeout: 360_000 });

after(async () => {
  // the service is stopped even when closing the browser fails: its process would keep the run alive
  try {
    await chromium?.close();
  } finally {
    await service?.stop();
  }
});

// ---- helpers -------------------------------------------------------------------------------

async function signIn(page, tenant, role = "owner") {
  await page.goto("/");
  await page.locator("#dev-tenant").fill(tenant);
  await page.locator("#dev-role").selectOption(role);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#identity", { hasText: tenant }).waitFor();
}

function connected(page) {
  return page.locator('#connection[data-state="connected"]').waitFor();
}

function bubble(page, selector) {
  return page.locator(`#activity-list li.activity-item${selector}`);
}

/** Every visible control has a name people (and screen readers) can read, and is in the tab order. */
async function assertUsable(page) {
  const problems = await page.evaluate(() => {
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    return [...document.querySelectorAll("input, select, textarea, button, a[href]")]
      .filter(visible)
      .filter((el) => {
        const label = [...(el.labels ?? [])].map((l) => l.textContent.trim()).join("");
        const own = (el.tagName === "BUTTON" || el.tagName === "A") ? el.textContent.trim() : "";
        const named = label || own || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
        return !named || el.tabIndex < 0;
      })
      .map((el) => el.outerHTML.slice(0, 160));
  });
  assert.deepEqual(problems, [], "unlabelled or unreachable controls");
}

async function noSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the viewport`);
}

async function control(path, body = {}) {
  const response = await fetch(`${service.emulator}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `emulator ${path}: ${await response.clone().text()}`);
  return response.json();
}

async function devToken(tenant, role) {
  const response = await fetch(`${service.base}/api/v1/dev/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(tenant ? { tenant_id: tenant, role } : { role }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).token;
}

async function apiGet(token, path) {
  const response = await fetch(`${service.base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

/** Polls `probe` (a service or emulator read, not the page) until it returns something, within the UI timeout. */
async function until(what, probe) {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

// ---- tests ---------------------------------------------------------------------------------

test("signs in with a dev token using the keyboard only", { timeout: 120_000 }, async () => {
  await withPage(chromium.browser, service, "01-sign-in", async (page) => {
    await page.goto("/");
    await page.locator("#sign-in").waitFor();
    // the tenant field has the focus; everything else is reached with Tab
    assert.equal(await page.evaluate(() => document.activeElement.id), "dev-tenant");
    await page.keyboard.press("Control+A");
    await page.keyboard.type(TENANT);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "dev-role");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Sign in");
    await page.keyboard.press("Enter");

    await page.locator("#identity", { hasText: `Tenant ${TENANT} · owner` }).waitFor();
    await connected(page);
    await page.locator("#subscription-none").waitFor();
    await page.locator("#activity-empty").waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem("billing.token")?.split(".").length), 3);
    await assertUsable(page);
  });
});

test("starts a subscription and sees its bubbles arrive live from the emulator's webhooks", { timeout: 120_000 }, async () => {
  await withPage(chromium.browser, service, "02-start-subscription", async (page) => {
    await signIn(page, TENANT);
    await connected(page);
    await page.locator("#activity-empty").waitFor(); // nothing in the history: whatever shows up next came live

    await page.locator("#start-plan").selectOption("starter");
    await page.locator("#start-seats").fill("2");
    await page.getByRole("button", { name: "Start subscription" }).click();

    await page.locator("#subscription-status", { hasText: "active" }).waitFor();
    await page.locator("#subscription-seats", { hasText: /^2$/ }).waitFor();
    await bubble(page, '.fresh[data-type="customer.subscription.created"][data-processing="processed"]').waitFor();
    await bubble(page, '.fresh[data-type="invoice.paid"][data-billing="paid"]').waitFor();
    await bubble(page, '.fresh[data-type="charge.succeeded"][data-billing="succeeded"]').waitFor();
    // newest first
    const seqs = await page.locator("#activity-list li").evaluateAll((items) => items.map((li) => Number(li.dataset.seq)));
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
    // the invoice the first payment paid is listed with its hosted page
    await page.locator("#invoices-table tbody tr", { hasText: "paid" }).getByRole("link", { name: /View/ }).first().waitFor();
    customer = (await page.locator("#subscription-customer").textContent()).trim();
    assert.match(customer, /^cus_/);
    await assertUsable(page);
  });
});

test("pays through the emulator's Checkout page and comes back to the dashboard", { timeout: 150_000 }, async () => {
  await withPage(chromium.browser, service, "03-checkout", async (page) => {
    await signIn(page, CHECKOUT_TENANT);
    await connected(page);
    await page.locator("#start-plan").selectOption("pro");
    await page.getByRole("button", { name: "Check out on Stripe" }).click();

    await page.waitForURL(`${service.emulator}/checkout/**`);
    await page.getByRole("heading", { name: /Subscribe to/ }).waitFor();
    if (await page.locator("#email").count()) await page.locator("#email").fill("billing@example.com");
    await page.locator("#card").fill("4000 0000 0000 0002");
    await page.getByRole("button", { name: "Pay" }).click();
    await page.getByRole("alert").filter({ hasText: "Your card was declined." }).waitFor();

    await page.locator("#card").fill("4242 4242 4242 4242");
    await page.locator("#exp").fill("12 / 34");
    await page.locator("#cvc").fill("123");
    await page.getByRole("button", { name: "Pay" }).click();

    await page.waitForURL(`${service.base}/**`);
    await page.locator("#notice", { hasText: "Checkout complete" }).waitFor();
    assert.equal(new URL(page.url()).search, "", "the return query is dropped from the address");
    await bubble(page, '[data-type="checkout.session.completed"]').waitFor();
    await bubble(page, '[data-type="invoice.paid"][data-billing="paid"]').waitFor();
    await page.locator("#subscription-plan", { hasText: "Pro" }).waitFor();
    await page.locator("#subscription-status", { hasText: "active" }).waitFor();

    // the billing portal is Stripe's page too: there and back
    await page.getByRole("button", { name: "Billing portal" }).click();
    await page.waitForURL(`${service.emulator}/portal/**`);
    await page.getByRole("link", { name: "Return to the site" }).click();
    await page.waitForURL(`${service.base}/**`);
    await page.locator("#notice", { hasText: "Back from the billing portal" }).waitFor();
    await connected(page);
  });
});

test("records usage and sees the totals move", { timeout: 120_000 }, async () => {
  await withPage(chromium.browser, service, "04-usage", async (page) => {
    await signIn(page, TENANT);
    await connected(page);
    const reported = page.locator('#usage-totals tr[data-feature="agent_runs"] td[data-total="reported"]');

    await page.locator("#usage-feature").selectOption("agent_runs");
    await page.locator("#usage-quantity").fill("5");
    await page.locator("#usage-quantity").press("Enter");
    await page.locator("#usage-message", { hasText: "Recorded 5 × agent_runs" }).waitFor();
    await reported.filter({ hasText: /^5$/ }).waitFor();

    await page.locator("#usage-quantity").fill("3");
    await page.getByRole("button", { name: "Record usage" }).click();
    await reported.filter({ hasText: /^8$/ }).waitFor();
    await page.locator('#usage-totals tr[data-feature="agent_runs"] td[data-total="pending"]', { hasText: /^0$/ }).waitFor();
    await bubble(page, '.fresh[data-type^="usage."]').first().waitFor();
    await page.locator("#usage-chart canvas").waitFor();
  });
});

test("fails a payment through the emulator's control API and sees the failed bubble", { timeout: 120_000 }, async () => {
  assert.ok(customer, "needs the subscription started above");
  await withPage(chromium.browser, service, "05-payment-failed", async (page) => {
    await signIn(page, TENANT);
    await connected(page);

    // an API error is shown in words: the envelope's message
    await page.locator("#change-plan").selectOption("starter");
    await page.locator("#change-proration").selectOption("none");
    await page.getByRole("button", { name: "Change plan" }).click();
    await page.locator("#subscription-card [data-error]", { hasText: "The subscription already is what was asked for" }).waitFor();

    await control(`/_emulator/customers/${customer}/fail_next_payment`, { decline_code: "insufficient_funds" });
    await page.locator("#change-plan").selectOption("pro");
    await page.locator("#change-proration").selectOption("always_invoice"); // invoice (and charge) now
    await page.getByRole("button", { name: "Change plan" }).click();

    await bubble(page, '.fresh[data-type="invoice.payment_failed"][data-billing="payment failed"]').waitFor();
    await bubble(page, '.fresh[data-type="charge.failed"]').waitFor();
    await bubble(page, '.fresh[data-type="customer.subscription.updated"][data-billing="past_due"]').waitFor();
    await page.locator("#subscription-status", { hasText: "past_due" }).waitFor();
    assert.equal(await page.locator("#subscription-card [data-error]").isVisible(), false);
  }, { apiAnswers: ["400 /api/v1/billing/update"] });
});

test("as operator, replays a failed event and sees it turn processed", { timeout: 150_000 }, async () => {
  assert.ok(customer, "needs the subscription started above");
  const operator = await devToken(null, "operator");
  // A genuine failure: while Stripe's API refuses to read this customer once, two updates of the
  // customer land in the same second. The worker settles such a tie by reading the customer from
  // Stripe, that read fails, and so does the event; with one attempt allowed it waits for a replay.
  await control("/_emulator/faults", { method: "GET", path_prefix: `/v1/customers/${customer}`, status: 400, count: 1 });
  let failed = null;
  for (let pair = 0; pair < 5 && !failed; pair++) {
    const events = await Promise.all([1, 2].map(() => control("/_emulator/trigger", { type: "customer.updated", object_id: customer })));
    const handled = await until("both customer.updated events handled", async () => {
      const stored = await Promise.all(events.map((e) => apiGet(operator, `/api/v1/admin/stripe-events/${e.id}`)));
      return stored.every((s) => s.status === 200 && s.body.status !== "received") ? stored.map((s) => s.body) : null;
    });
    failed = handled.find((e) => e.status === "failed") ?? null; // in different seconds there is no tie: again
  }
  assert.ok(failed, "no customer.updated event failed");
  assert.equal(failed.dead, true);

  await withPage(chromium.browser, service, "06-operator-replay", async (page) => {
    await signIn(page, TENANT, "operator");
    await connected(page);
    await page.getByRole("heading", { name: "Stripe events (all tenants)" }).waitFor();
    await page.locator("#ledger-status").selectOption("failed");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const row = page.locator(`#ledger-table tr[data-event="${failed.event_id}"]`);
    await row.locator('[data-status="failed"]').waitFor();
    await row.getByText("Injected fault").waitFor();

    // the failure has its bubble in the tenant's history: one item, whatever the attempts
    const itsBubbles = bubble(page, `[data-event="${failed.event_id}"]`);
    await bubble(page, `[data-event="${failed.event_id}"][data-processing="failed"]`).waitFor();
    assert.equal(await itsBubbles.count(), 1);

    await row.getByRole("button", { name: `Replay ${failed.event_id}` }).click();
    await page.locator("#ledger-card [data-status]", { hasText: `Replayed ${failed.event_id}: processed.` }).waitFor();
    await row.locator('[data-status="processed"]').waitFor();
    // live, the failed bubble turns processed: replaced, not joined by a second one
    await bubble(page, `.fresh[data-event="${failed.event_id}"][data-processing="processed"]`).waitFor();
    assert.equal(await itsBubbles.count(), 1, "one bubble per event");
    assert.equal(await bubble(page, `[data-event="${failed.event_id}"][data-processing="failed"]`).count(), 0);
    await assertUsable(page);
  });
  const after = await apiGet(operator, `/api/v1/admin/stripe-events/${failed.event_id}`);
  assert.equal(after.body.status, "processed");
  // the history a reload shows has the processed item only
  const history = await apiGet(operator, `/api/v1/billing/activity?tenant=${TENANT}&limit=200`);
  const items = history.body.activity.filter((item) => item.stripe_event_id === failed.event_id);
  assert.deepEqual(items.map((item) => item.processing_status), ["processed"]);
});

test("at phone width, a reload restores the same history and the stream goes on from there", { timeout: 120_000 }, async () => {
  await withPage(chromium.browser, service, "07-reload-history", async (page) => {
    await signIn(page, TENANT);
    await connected(page);
    const seqsShown = () => page.locator("#activity-list li").evaluateAll((items) => items.map((li) => Number(li.dataset.seq)));
    await bubble(page, '[data-type="charge.failed"]').waitFor();
    const before = await seqsShown();

    await page.reload();
    await connected(page);
    await bubble(page, '[data-type="charge.failed"]').waitFor();
    const afterReload = await seqsShown();
    assert.deepEqual(afterReload, before, "the same items, in the same order, none twice");

    // the stream starts where the history ended: the next item arrives once
    await page.locator("#usage-quantity").fill("1");
    await page.getByRole("button", { name: "Record usage" }).click();
    await bubble(page, '.fresh[data-type^="usage."]').waitFor();
    const now = await seqsShown();
    assert.ok(now[0] > Math.max(...before), "the new item is on top");
    assert.equal(new Set(now).size, now.length, "no item twice");
    await noSidewaysScroll(page);
    await assertUsable(page);
  }, { width: 375, height: 812 });
});

test("reconnects with Last-Event-ID after the network drops and misses nothing", { timeout: 120_000 }, async () => {
  const owner = await devToken(TENANT, "owner");
  await withPage(chromium.browser, service, "08-reconnect", async (page, context) => {
    await signIn(page, TENANT);
    await connected(page);
    const newest = Number(await page.locator("#activity-list li").first().getAttribute("data-seq"));

    await context.setOffline(true);
    await page.locator('#connection[data-state="offline"]').waitFor();
    // billing goes on meanwhile: usage recorded by another caller is reported while this page is offline
    const recorded = await fetch(`${service.base}/api/v1/billing/usage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${owner}`, "Content-Type": "application/json", "Idempotency-Key": `e2e-${RUN}-offline` },
      body: JSON.stringify({ feature_key: "agent_runs", quantity: 2 }),
    });
    assert.equal(recorded.status, 202);
    const missed = await until("the usage reported while offline", async () => {
      const { body } = await apiGet(owner, `/api/v1/billing/activity?limit=5`);
      return body.activity.find((a) => a.seq > newest && a.event_type.startsWith("usage.")) ?? null;
    });

    await context.setOffline(false);
    await connected(page);
    await bubble(page, `[data-seq="${missed.seq}"]`).waitFor();
    const seqs = await page.locator("#activity-list li").evaluateAll((items) => items.map((li) => Number(li.dataset.seq)));
    assert.equal(seqs.filter((s) => s === missed.seq).length, 1);
    assert.deepEqual(seqs.filter((s) => s > newest), [...Array(seqs[0] - newest).keys()].map((i) => seqs[0] - i),
      "every item after the last one seen, each once, newest first");
  });
});
