// The billing dashboard: sign-in, then the cards the token's roles allow, kept current by the live
// billing stream. Plain ES modules served by the service; no build step, nothing from a CDN.
import * as session from "./session.js";
import { whenSignedOut } from "./api.js";
import { ActivityPanel } from "./activity.js";
import * as subscription from "./subscription.js";
import * as usage from "./usage.js";
import * as ledger from "./ledger.js";
import * as invoices from "./invoices.js";
import { say, busy } from "./dom.js";

const signIn = document.getElementById("sign-in");
const dashboard = document.getElementById("dashboard");
const notice = document.getElementById("notice");
const identityLine = document.getElementById("identity");
const signOutButton = document.getElementById("sign-out");
const connection = document.getElementById("connection");
const connectionText = document.getElementById("connection-text");
const activityCard = document.getElementById("activity-card");
const activityTenantForm = document.getElementById("activity-tenant-form");
const activityTenant = document.getElementById("activity-tenant");

const CONNECTION_TEXT = { connecting: "Connecting…", connected: "Connected", reconnecting: "Reconnecting…", offline: "Offline" };

let refreshTimer = null;
let who = null;

const activity = new ActivityPanel({
  onItem: () => {
    // a billing change arrived: what the other cards show may have changed too (one look per burst)
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshCards, 400);
  },
  onState: (state, reason) => {
    connection.dataset.state = state;
    connectionText.textContent = CONNECTION_TEXT[state] ?? state;
    connection.title = reason || CONNECTION_TEXT[state] || "";
  },
});

function refreshCards() {
  if (!who || !navigator.onLine) return;
  if (who.reads) {
    subscription.refresh();
    usage.refresh();
    invoices.refresh();
  }
  if (who.reads || who.operator) ledger.refresh();
}

function showSignIn(message) {
  who = null;
  activity.close();
  usage.hide();
  dashboard.hidden = true;
  signIn.hidden = false;
  identityLine.hidden = true;
  signOutButton.hidden = true;
  connection.dataset.state = "offline";
  connectionText.textContent = CONNECTION_TEXT.offline;
  say(notice, message ?? "");
  document.getElementById("dev-tenant").focus();
}

async function showDashboard() {
  who = session.identity();
  if (!who) {
    showSignIn("The stored token could not be read: sign in again.");
    return;
  }
  signIn.hidden = true;
  dashboard.hidden = false;
  identityLine.hidden = false;
  signOutButton.hidden = false;
  identityLine.textContent = `${who.tenant ? `Tenant ${who.tenant}` : "All tenants"} · ${who.roles.join(", ") || "no role"}`;

  document.getElementById("subscription-card").hidden = true;
  document.getElementById("invoices-card").hidden = true;
  usage.hide();
  ledger.hide();
  activityCard.hidden = !(who.tenant || who.operator);
  dashboard.dataset.layout = who.reads ? "tenant" : "operator";
  activityTenantForm.hidden = !who.operator;
  activityTenant.value = who.tenant ?? "";

  const loading = [];
  if (who.tenant) loading.push(activity.open(null));
  else if (who.operator) activity.idle("Enter a tenant above to watch its billing activity.");
  else say(notice, "This token names no tenant: there is nothing to show.");
  if (who.reads) {
    loading.push(subscription.show(who.writes), invoices.show());
  }
  if (who.reads || who.reportsUsage) loading.push(usage.show({ reads: who.reads, canRecord: who.reportsUsage }));
  if (who.reads || who.operator) loading.push(ledger.show(who.operator));
  await Promise.all(loading);
}

/** Back from Stripe Checkout or the billing portal: say so, and drop the query from the address. */
function returning() {
  const params = new URLSearchParams(location.search);
  let message = "";
  if (params.get("checkout") === "success") {
    message = "Checkout complete. The subscription appears here as soon as Stripe's events arrive.";
  } else if (params.get("checkout") === "canceled") {
    message = "Checkout was canceled; nothing was charged.";
  } else if (params.has("portal")) {
    message = "Back from the billing portal. Changes made there arrive as Stripe's events.";
  }
  if (params.has("checkout") || params.has("portal")) history.replaceState(null, "", location.pathname);
  return message;
}

document.getElementById("dev-sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const errorLine = document.getElementById("dev-sign-in-error");
  say(errorLine, "");
  const tenant = form.tenant.value.trim();
  const role = form.role.value;
  try {
    await busy(form, () => session.signInDev(tenant, role));
  } catch (e) {
    say(errorLine, e.message);
    if (e.status === 404) document.getElementById("pasted-token").focus();
    return;
  }
  say(notice, "");
  await showDashboard();
  document.getElementById("main").focus();
});

document.getElementById("token-sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const errorLine = document.getElementById("token-sign-in-error");
  say(errorLine, "");
  try {
    session.signInWithToken(event.currentTarget.token.value);
  } catch (e) {
    say(errorLine, e.message);
    return;
  }
  event.currentTarget.reset();
  say(notice, "");
  await showDashboard();
  document.getElementById("main").focus();
});

signOutButton.addEventListener("click", () => {
  session.signOut();
  showSignIn("Signed out.");
});

activityTenantForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const tenant = activityTenant.value.trim();
  activity.open(tenant && tenant !== who?.tenant ? tenant : null);
});

whenSignedOut((message) => {
  if (!who) return;
  session.signOut();
  showSignIn(`Your session ended${message ? ` (${message})` : ""}: sign in again.`);
});

const welcome = returning();
if (session.token()) {
  showDashboard().then(() => say(notice, welcome));
} else {
  showSignIn(welcome);
}
