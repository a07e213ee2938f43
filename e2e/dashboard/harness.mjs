// What the browser tests stand on: the service in local mode on free ports (embedded Postgres and
// Redis, the in-process Stripe emulator), Debian's Chromium driven by playwright-core over CDP, and
// a page wrapper that records console errors and leaves a screenshot behind whatever happens.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

export const ROOT = resolve(import.meta.dirname, "../..");
export const ARTIFACTS = join(ROOT, "e2e", "artifacts");
const JAR = process.env.BILLING_JAR ?? join(ROOT, "service", "target", "billing-service.jar");
const SERVICE_LOG = join(ARTIFACTS, "service.log");

/** Bounded waits: long enough for a loaded 2-core CI box, short enough to fail within minutes. */
export const STARTUP_TIMEOUT_MS = 300_000;
export const UI_TIMEOUT_MS = 45_000;

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** The last lines of the service's log, for a failure message. */
export function serviceLogTail(lines = 60) {
  if (!existsSync(SERVICE_LOG)) return "(no service log)";
  const text = readFileSync(SERVICE_LOG, "utf8").trimEnd().split("\n");
  return text.slice(-lines).join("\n");
}

/**
 * Starts `java -jar billing-service.jar serve` in local mode with its data in a temporary directory
 * and every port free. Settings from the caller's environment that would point it elsewhere are
 * dropped. Webhook events get one attempt: a failed event waits for an operator's replay.
 */
export async function startService() {
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build it first (make build)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const ports = { http: await freePort(), postgres: await freePort(), redis: await freePort(), stripe: await freePort() };
  const envDir = mkdtempSync(join(tmpdir(), "billing-e2e-env-"));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) =>
    !/^(STRIPE_|BILLING_|AUTH_|ENABLE_BILLING|DATABASE_URL$|REDIS_URL$|PORT$|LOCAL_|SPRING_|JAVA_TOOL_OPTIONS$)/.test(name)));
  Object.assign(env, {
    BILLING_LOCAL_EPHEMERAL: "true",
    BILLING_ENV_DIR: envDir, // no .env.local of the developer's
    PORT: String(ports.http),
    LOCAL_POSTGRES_PORT: String(ports.postgres),
    LOCAL_REDIS_PORT: String(ports.redis),
    LOCAL_STRIPE_PORT: String(ports.stripe),
    BILLING_WEBHOOK_MAX_ATTEMPTS: "1",
  });
  const log = createWriteStream(SERVICE_LOG);
  const child = spawn("java", ["-Xmx768m", "-jar", JAR, "serve"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on("exit", (code, signal) => { exited = { code, signal }; });
  const service = {
    base: `http://127.0.0.1:${ports.http}`,
    emulator: `http://127.0.0.1:${ports.stripe}`,
    async stop() {
      if (exited) return;
      const gone = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await gone;
      clearTimeout(timer);
      log.end();
      rmSync(envDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`The service exited (${exited.code ?? exited.signal}) before it was healthy:\n${serviceLogTail()}`);
    }
    try {
      const health = await fetch(`${service.base}/actuator/health`);
      if (health.ok && (await health.json()).status === "UP") return service;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 500)); // polling a condition, not waiting for time
  }
  await service.stop();
  throw new Error(`The service was not healthy within ${STARTUP_TIMEOUT_MS / 1000}s:\n${serviceLogTail()}`);
}

/** Debian's chromium (or CHROMIUM), headless, with a fresh profile; playwright-core attaches over CDP. */
export async function launchBrowser() {
  const executable = process.env.CHROMIUM ?? "/usr/bin/chromium";
  const profile = mkdtempSync(join(tmpdir(), "billing-e2e-chromium-"));
  const child = spawn(executable, [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  const endpoint = await new Promise((done, fail) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`Chromium did not start within 60s:\n${output}`)), 60_000);
    child.stderr.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`Chromium (${executable}) exited with ${code}:\n${output}`));
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      if (child.exitCode === null) {
        const gone = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await gone;
        clearTimeout(timer);
      }
      // Chromium's helper processes (crashpad, utility) may still write into the profile for a
      // moment after the browser itself exited: retry instead of failing the run on ENOTEMPTY
      // (the crashpad handler can outlive those retries): a profile left in the temp directory is
      // not a failed test, so it is reported and left
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (error) {
        console.warn(`# could not remove the browser profile ${profile}: ${error.code ?? error.message}`);
      }
    },
  };
}

/**
 * API answers the dashboard expects and shows in words, which Chromium still logs to the console as
 * "Failed to load resource: … status of 404": "no subscription" is a 404 by the API contract. Tests
 * that provoke an error on purpose add theirs; any other such line fails the test.
 */
const EXPECTED_API_ANSWERS = ["404 /api/v1/billing/subscription"];

function expectedApiAnswer(message, allowed) {
  const status = message.text().match(/^Failed to load resource: the server responded with a status of (\d{3})/);
  if (!status || !message.location().url) return false;
  return allowed.includes(`${status[1]} ${new URL(message.location().url).pathname}`);
}

/**
 * Runs `body` with a fresh page (its own browser context: its own sessionStorage), then saves
 * `<name>.png` under e2e/artifacts, also when it fails. Console errors and uncaught exceptions on the
 * dashboard fail the test (but for the expected API answers above and in `apiAnswers`); other sites
 * (the emulator's hosted pages) are not the dashboard's to judge. A failure message carries the
 * screenshot's path, the console errors and the service log's tail.
 */
export async function withPage(browser, service, name, body, { width = 1280, height = 900, apiAnswers = [] } = {}) {
  const allowed = [...EXPECTED_API_ANSWERS, ...apiAnswers];
  const context = await browser.newContext({ viewport: { width, height }, baseURL: service.base });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  const problems = [];
  const onDashboard = () => page.url().startsWith(service.base);
  page.on("console", (message) => {
    if (message.type() === "error" && onDashboard() && !expectedApiAnswer(message, allowed)) {
      problems.push(`console error: ${message.text()} (${message.location().url || page.url()})`);
    }
  });
  page.on("pageerror", (error) => {
    if (onDashboard()) problems.push(`uncaught: ${error.stack ?? error.message}`);
  });
  const screenshot = join(ARTIFACTS, `${name}.png`);
  let failure = null;
  try {
    await body(page, context);
  } catch (error) {
    failure = error;
  }
  await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  await context.close().catch(() => {});
  if (!failure && problems.length) failure = new Error("The dashboard logged errors");
  if (failure) {
    failure.message += `\n\nscreenshot: ${screenshot}`
      + (problems.length ? `\n\nconsole:\n${problems.join("\n")}` : "")
      + `\n\nservice log (${SERVICE_LOG}), last lines:\n${serviceLogTail()}`;
    throw failure;
  }
  return screenshot;
}
