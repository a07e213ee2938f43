// Who is signed in: the bearer token lives in sessionStorage (this tab only, gone when it closes).
// A token from local mode's dev endpoint remembers its tenant and role, so it is renewed when it runs out.

const TOKEN = "billing.token";
const DEV = "billing.dev";

let renewing = null;

export function token() {
  return sessionStorage.getItem(TOKEN);
}

/** The token's claims (not verified here: the server verifies every request). */
export function claims(jwt = token()) {
  if (!jwt) return null;
  const parts = jwt.split(".");
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1].replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(parts[1].length / 4) * 4, "="));
    const value = JSON.parse(json);
    return typeof value === "object" && value !== null ? value : null;
  } catch {
    return null;
  }
}

/** What the dashboard shows and offers, from the token's tenant and roles. */
export function identity() {
  const c = claims();
  if (!c) return null;
  const roles = Array.isArray(c.roles) ? c.roles.map(String) : typeof c.roles === "string" ? [c.roles] : [];
  const has = (...wanted) => wanted.some((r) => roles.includes(r));
  const tenant = typeof c.tenant_id === "string" && c.tenant_id ? c.tenant_id : null;
  return {
    tenant,
    roles,
    expiresAt: typeof c.exp === "number" ? new Date(c.exp * 1000) : null,
    reads: tenant !== null && has("owner", "admin", "member", "viewer"),
    writes: tenant !== null && has("owner", "admin"),
    reportsUsage: tenant !== null && has("owner", "admin", "service"),
    operator: has("operator"),
  };
}

/** Local mode: a token for a tenant and role from POST /api/v1/dev/token. */
export async function signInDev(tenant, role) {
  const response = await fetch("/api/v1/dev/token", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ tenant_id: tenant, role }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(
      response.status === 404
        ? "This service is not in local mode, so it hands out no development tokens: paste a token instead."
        : body.message || `The service answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  sessionStorage.setItem(TOKEN, body.token);
  sessionStorage.setItem(DEV, JSON.stringify({ tenant, role }));
}

/** A pasted token; it must at least look like a JWT (the server judges the rest). */
export function signInWithToken(jwt) {
  const value = jwt.trim().replace(/^Bearer\s+/i, "");
  if (!claims(value)) throw new Error("That is not a JWT (three base64url parts separated by dots).");
  sessionStorage.setItem(TOKEN, value);
  sessionStorage.removeItem(DEV);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(DEV);
}

/** After a 401: a dev token is renewed once (concurrent callers share the renewal); a pasted one is not. */
export async function renew() {
  const dev = JSON.parse(sessionStorage.getItem(DEV) || "null");
  if (!dev) return false;
  renewing ??= signInDev(dev.tenant, dev.role).then(() => true, () => false).finally(() => { renewing = null; });
  return renewing;
}
