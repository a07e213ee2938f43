// The peer for bench/run.sh: @supabase/stripe-sync-engine behind a minimal node:http server, the
// way its README wires it. processWebhook verifies the signature (stripe-node) and upserts the
// object into its "stripe" schema inside the request, so a 200 means stored and processed.
//
//   PEER_DATABASE_URL=postgresql://… PEER_WEBHOOK_SECRET=whsec_… PEER_PORT=18100 node bench/peer/server.mjs
//
// With backfillRelatedEntities false, autoExpandLists and revalidateObjectsViaStripeApi unset, an
// invoice.paid never reaches the Stripe API (dist/index.js: fetchOrUseWebhookData, upsertInvoices,
// expandEntity); the secret key is a placeholder and api.stripe.com is unreachable here anyway.
import { createRequire } from 'node:module';
import http from 'node:http';

// The package's ESM build resolves its migrations with __dirname, which ESM does not define, and
// runMigrations only logs its errors: the CommonJS build is the one that works.
const require = createRequire(import.meta.url);
const { StripeSync, runMigrations } = require('@supabase/stripe-sync-engine');

const databaseUrl = required('PEER_DATABASE_URL');
const webhookSecret = required('PEER_WEBHOOK_SECRET');
const port = Number(required('PEER_PORT'));

const errors = [];
await runMigrations({
  databaseUrl,
  schema: 'stripe',
  logger: { info() {}, warn() {}, error: (err) => errors.push(err) },
});
if (errors.length > 0) {
  console.error('peer: migrations failed:', errors.map((e) => e?.message ?? String(e)).join('; '));
  process.exit(1);
}

const sync = new StripeSync({
  databaseUrl,
  stripeSecretKey: 'sk_test_bench_peer_unused',
  stripeWebhookSecret: webhookSecret,
  backfillRelatedEntities: false,
  poolConfig: { max: 16 },
});

// Failures are counted by kind and the first of each kind printed once: never a body or a signature.
const failures = new Map();
function failed(kind, err) {
  const seen = failures.get(kind) ?? 0;
  failures.set(kind, seen + 1);
  if (seen === 0) {
    console.error(`peer: first ${kind}: ${err?.type ?? err?.name ?? 'Error'}: ${String(err?.message).slice(0, 200)}`);
  }
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"UP"}');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/webhooks/stripe') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      await sync.processWebhook(Buffer.concat(chunks), req.headers['stripe-signature']);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    } catch (err) {
      const badSignature = err?.type === 'StripeSignatureVerificationError';
      failed(badSignature ? 'bad signature (400)' : 'error (500)', err);
      res.writeHead(badSignature ? 400 : 500, { 'content-type': 'application/json' }).end('{"received":false}');
    }
  });
});

server.listen(port, '127.0.0.1', () => console.log(`peer: listening on 127.0.0.1:${port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (failures.size > 0) {
      console.error(`peer: failures ${JSON.stringify(Object.fromEntries(failures))}`);
    }
    server.close();
    server.closeAllConnections();
    sync.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`peer: ${name} is required`);
    process.exit(2);
  }
  return value;
}
