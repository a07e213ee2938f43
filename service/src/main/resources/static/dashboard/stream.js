// The live billing stream (GET /api/v1/billing/stream, server-sent events) read with fetch, because
// EventSource cannot send an Authorization header. It reconnects by itself after the server's
// `retry` delay with Last-Event-ID, so a dropped connection loses nothing and repeats nothing.
import * as session from "./session.js";
import { query } from "./api.js";

const DEFAULT_RETRY_MS = 3000;

/**
 * States reported to onState: "connecting" (first attempt), "connected", "reconnecting" (waiting
 * to try again), "offline" (the browser has no network, or the stream cannot be resumed: then
 * `reason` says why and it stops).
 */
export class BillingStream {
  #firstUrl;
  #lastId;
  #retryMs = DEFAULT_RETRY_MS;
  #onItem;
  #onState;
  #controller = null;
  #stopped = false;
  #wake = null;

  /**
   * @param since the newest seq already shown (from the history), 0 for everything
   * @param tenant another tenant to watch (operators only); null for the token's own
   */
  constructor({ since, tenant = null, onItem, onState }) {
    this.#lastId = since;
    this.#firstUrl = "/api/v1/billing/stream" + query({ tenant, since });
    this.#onItem = onItem;
    this.#onState = onState;
  }

  start() {
    window.addEventListener("online", this.#online);
    window.addEventListener("offline", this.#offline);
    this.#run();
    return this;
  }

  stop() {
    this.#stopped = true;
    window.removeEventListener("online", this.#online);
    window.removeEventListener("offline", this.#offline);
    this.#controller?.abort();
    this.#wake?.();
  }

  /** The last id the server sent: where a reconnect resumes. */
  get lastId() {
    return this.#lastId;
  }

  #online = () => this.#wake?.();

  #offline = () => this.#controller?.abort();

  #state(state, reason = "") {
    if (!this.#stopped) this.#onState(state, reason);
  }

  async #run() {
    let attempt = 0;
    while (!this.#stopped) {
      if (!navigator.onLine) {
        this.#state("offline", "This browser has no network; the stream resumes when it is back.");
        await this.#pause(null);
        continue;
      }
      this.#state(attempt++ === 0 ? "connecting" : "reconnecting");
      const outcome = await this.#connect(attempt > 1);
      if (this.#stopped) return;
      if (outcome.fatal) {
        this.#state("offline", outcome.fatal);
        return;
      }
      this.#state(navigator.onLine ? "reconnecting" : "offline", outcome.reason ?? "");
      await this.#pause(outcome.delayMs ?? this.#retryMs);
    }
  }

  /** One connection, until it ends; says what to do next. */
  async #connect(resuming) {
    const controller = new AbortController();
    this.#controller = controller;
    const headers = { Accept: "text/event-stream", Authorization: `Bearer ${session.token()}` };
    if (resuming && this.#lastId !== null && this.#lastId !== undefined) {
      headers["Last-Event-ID"] = String(this.#lastId);
    }
    let response;
    try {
      response = await fetch(this.#firstUrl, { headers, signal: controller.signal, cache: "no-store" });
    } catch {
      return { reason: "The connection to the service was lost." };
    }
    if (response.status === 401) {
      return (await session.renew())
        ? { delayMs: 0 }
        : { fatal: "The token is no longer valid: sign in again." };
    }
    if (!response.ok) {
      const envelope = await response.json().catch(() => null);
      const message = envelope?.message ?? `The stream answered ${response.status}.`;
      if (response.status === 429 || response.status >= 500) {
        const after = Number(response.headers.get("Retry-After"));
        return { reason: message, delayMs: after > 0 ? after * 1000 : undefined };
      }
      return { fatal: message };
    }
    this.#state("connected");
    try {
      await this.#read(response.body);
    } catch {
      // aborted (offline, stopped) or the network dropped: both resume below
    }
    return { reason: "The stream was interrupted." };
  }

  async #read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer = (buffer + value).replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        this.#frame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  /** One frame: `retry:`, `id:`, `event:`, `data:` lines; lines starting with ":" are comments (pings). */
  #frame(block) {
    let id = null;
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "id") id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "retry" && /^\d+$/.test(value)) this.#retryMs = Number(value);
    }
    if (id !== null && /^\d+$/.test(id)) this.#lastId = Number(id);
    if (data.length === 0 || event === "ready") return;
    let item;
    try {
      item = JSON.parse(data.join("\n"));
    } catch {
      return;
    }
    this.#onItem(item);
  }

  /** Waits `ms` (null: until woken by the network coming back or stop()). */
  #pause(ms) {
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.#wake = null;
        resolve();
      }
      this.#wake = done;
    });
  }
}
