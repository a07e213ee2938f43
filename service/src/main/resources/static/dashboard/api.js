// Calls to the billing API with the session's bearer token; every error becomes an ApiError whose
// message is the envelope's human sentence ({"error", "message", "details"}).
import * as session from "./session.js";

export class ApiError extends Error {
  constructor(status, envelope) {
    super(describe(status, envelope));
    this.status = status;
    this.code = envelope?.error ?? "http_" + status;
    this.details = envelope?.details ?? {};
  }
}

function describe(status, envelope) {
  const message = envelope?.message || `The service answered ${status}.`;
  const fields = envelope?.details?.fields;
  if (fields && typeof fields === "object") {
    const parts = Object.entries(fields).map(([field, problem]) => `${field} ${problem}`);
    if (parts.length) return `${message}: ${parts.join("; ")}`;
  }
  return message;
}

let onSignedOut = () => {};

/** Called when a request is refused for want of a valid token and it cannot be renewed. */
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

/** A request with the bearer token; POST bodies are JSON and carry a fresh Idempotency-Key unless given. */
export async function api(path, { method = "GET", body, idempotencyKey, signal } = {}) {
  const key = method === "GET" ? null : idempotencyKey ?? uuid();
  const send = () => {
    const headers = { Accept: "application/json", Authorization: `Bearer ${session.token()}` };
    if (key) {
      headers["Content-Type"] = "application/json";
      headers["Idempotency-Key"] = key;
    }
    return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  };
  let response = await send();
  if (response.status === 401 && (await session.renew())) {
    response = await send();
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (response.status === 401) onSignedOut(json?.message);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** A query string from the non-empty values: query({ status: "failed", type: "" }) → "?status=failed". */
export function query(values) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A random UUID; crypto.randomUUID exists only in secure contexts (a LAN address over http is not one). */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
