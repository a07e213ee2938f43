// Writes pre-signed invoice.paid events for bench/run.sh, one "<Stripe-Signature>\t<body>" line each,
// the format bench/ingest.lua and bench/OpenLoopIngest.java read. The signature comes from the
// official stripe-node SDK (webhooks.generateTestHeaderString), the one the peer verifies with.
//
//   node bench/peer/events.mjs --out FILE --count N --tenants T --tag TAG --secret whsec_… [--created EPOCH]
//
// The bodies depend only on tag, n, tenants and created: running it twice with two secrets gives
// the same events signed for each side. Each event has its own event id and invoice id; tenants
// (and their customers and subscriptions) go round-robin, so --tenants 1 is one busy tenant.
// Signed now: Stripe's tolerance is 300 s, so write the file right before sending it.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import Stripe from 'stripe';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    count: { type: 'string' },
    tenants: { type: 'string', default: '1' },
    tag: { type: 'string' },
    secret: { type: 'string' },
    created: { type: 'string' },
  },
});
for (const required of ['out', 'count', 'tag', 'secret']) {
  if (!values[required]) {
    throw new Error(`--${required} is required`);
  }
}
const count = Number(values.count);
const tenants = Number(values.tenants);
const tag = values.tag;
if (!/^[a-z0-9]+$/.test(tag)) {
  throw new Error('--tag is lowercase letters and digits (it goes into Stripe-style ids)');
}
const created = Number(values.created ?? Math.floor(Date.now() / 1000));
const stripe = new Stripe('sk_test_bench_unused');
const timestamp = Math.floor(Date.now() / 1000);

/** A full invoice.paid event as Stripe sends it with API 2026-07-29.dahlia (after fixture 015). */
function event(n) {
  const t = n % tenants;
  const tenant = `bench-tenant-${String(t).padStart(4, '0')}`;
  // the same tenant keeps its customer and subscription across runs with other tags
  const key = `bench${String(t).padStart(4, '0')}`;
  const invoice = `in_${tag}${String(n).padStart(8, '0')}`;
  const token = `test_${tag}${String(n).padStart(8, '0')}Qf8kLmW2xR7`;
  const periodStart = created - 3600;
  const periodEnd = periodStart + 2_592_000;
  return {
    id: `evt_${tag}${String(n).padStart(8, '0')}`,
    object: 'event',
    api_version: '2026-07-29.dahlia',
    created,
    data: {
      object: {
        account_country: 'US',
        account_name: 'Anything Agents, Inc.',
        account_tax_ids: null,
        amount_due: 2900,
        amount_paid: 2900,
        amount_remaining: 0,
        amount_shipping: 0,
        application: null,
        attempt_count: 1,
        attempted: true,
        auto_advance: false,
        automatic_tax: { enabled: false, liability: null, status: null, disabled_reason: null, provider: null },
        billing_reason: 'subscription_cycle',
        collection_method: 'charge_automatically',
        created: created - 3,
        currency: 'usd',
        custom_fields: null,
        customer: `cus_${key}`,
        customer_address: {
          city: 'Springfield', country: 'US', line1: '1 Acme Way', line2: null, postal_code: '62701', state: 'IL',
        },
        customer_email: `billing@${tenant}.example`,
        customer_name: `Tenant ${t}`,
        customer_phone: null,
        customer_shipping: null,
        customer_tax_exempt: 'none',
        customer_tax_ids: [],
        default_payment_method: null,
        default_source: null,
        default_tax_rates: [],
        description: null,
        discounts: [],
        due_date: null,
        effective_at: created - 2,
        ending_balance: 0,
        footer: null,
        from_invoice: null,
        hosted_invoice_url: `https://invoice.stripe.com/i/acct_1TbAnythingAgnts/${token}?s=ap`,
        id: invoice,
        invoice_pdf: `https://pay.stripe.com/invoice/acct_1TbAnythingAgnts/${token}/pdf?s=ap`,
        issuer: { type: 'self' },
        last_finalization_error: null,
        latest_revision: null,
        lines: {
          data: [
            {
              amount: 2900,
              currency: 'usd',
              description: '1 × Starter (at $29.00 / month)',
              discount_amounts: [],
              discountable: true,
              discounts: [],
              id: `il_${tag}${String(n).padStart(8, '0')}`,
              invoice,
              livemode: false,
              metadata: {},
              object: 'line_item',
              period: { end: periodEnd, start: periodStart },
              quantity: 1,
              subscription: `sub_${key}`,
              pretax_credit_amounts: [],
              taxes: [],
              parent: {
                invoice_item_details: null,
                subscription_item_details: {
                  invoice_item: null,
                  proration: false,
                  proration_details: { credited_items: null },
                  subscription: `sub_${key}`,
                  subscription_item: `si_${key}`,
                },
                type: 'subscription_item_details',
              },
              pricing: {
                price_details: { price: 'price_starter_monthly', product: 'prod_TbStarterPlan01' },
                type: 'price_details',
                unit_amount_decimal: '2900',
              },
              subtotal: 2900,
              quantity_decimal: '1',
            },
          ],
          has_more: false,
          object: 'list',
          url: `/v1/invoices/${invoice}/lines`,
        },
        livemode: false,
        metadata: {},
        next_payment_attempt: null,
        number: `${key.toUpperCase()}-${String(n).padStart(6, '0')}`,
        object: 'invoice',
        on_behalf_of: null,
        payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
        period_end: periodStart,
        period_start: periodStart - 2_592_000,
        post_payment_credit_notes_amount: 0,
        pre_payment_credit_notes_amount: 0,
        receipt_number: null,
        rendering: { amount_tax_display: null, pdf: { page_size: 'letter' }, template: null, template_version: null },
        shipping_cost: null,
        shipping_details: null,
        starting_balance: 0,
        statement_descriptor: null,
        status: 'paid',
        status_transitions: {
          finalized_at: created - 2, marked_uncollectible_at: null, paid_at: created, voided_at: null,
        },
        subtotal: 2900,
        subtotal_excluding_tax: 2900,
        test_clock: null,
        total: 2900,
        total_discount_amounts: [],
        total_excluding_tax: 2900,
        webhooks_delivered_at: created - 1,
        automatically_finalizes_at: null,
        total_pretax_credit_amounts: [],
        total_taxes: [],
        amount_overpaid: 0,
        parent: {
          quote_details: null,
          subscription_details: { metadata: { tenant_id: tenant }, subscription: `sub_${key}` },
          type: 'subscription_details',
        },
        customer_account: null,
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'invoice.paid',
  };
}

const out = createWriteStream(values.out);
let bytes = 0;
for (let n = 0; n < count; n++) {
  // one line per event: JSON.stringify never emits a raw newline or tab
  const payload = JSON.stringify(event(n));
  bytes += Buffer.byteLength(payload);
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: values.secret, timestamp });
  if (!out.write(`${header}\t${payload}\n`)) {
    await once(out, 'drain');
  }
}
out.end();
await once(out, 'finish');
console.log(`events=${count} tenants=${tenants} body_bytes_avg=${count ? Math.round(bytes / count) : 0}`);
