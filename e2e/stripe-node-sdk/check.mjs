// Drives the emulator with the official stripe-node SDK. Needs STRIPE_API_BASE (e.g. http://127.0.0.1:12111).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';

const base = new URL(process.env.STRIPE_API_BASE ?? 'http://127.0.0.1:12111');
const stripe = new Stripe('sk_test_node_sdk_check', {
  host: base.hostname,
  port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
  protocol: base.protocol.replace(':', ''),
  maxNetworkRetries: 0,
});

test('customer, product, price, subscription, meter and meter event', async () => {
  const customer = await stripe.customers.create({ email: 'node@acme.test', metadata: { tenant_id: 'acme-node' } });
  assert.match(customer.id, /^cus_/);
  assert.equal(customer.metadata.tenant_id, 'acme-node');

  const product = await stripe.products.create({ name: 'Node seats' });
  assert.match(product.id, /^prod_/);
  const price = await stripe.prices.create({
    currency: 'usd', unit_amount: 1200, product: product.id, lookup_key: `node_${Date.now()}`,
    recurring: { interval: 'month' },
  });
  assert.match(price.id, /^price_/);
  assert.equal(price.unit_amount, 1200);

  const subscription = await stripe.subscriptions.create({
    customer: customer.id, items: [{ price: price.id, quantity: 2 }], expand: ['latest_invoice'],
  });
  assert.match(subscription.id, /^sub_/);
  assert.equal(subscription.status, 'active');
  assert.equal(subscription.items.data[0].quantity, 2);
  assert.ok(subscription.items.data[0].current_period_end > subscription.items.data[0].current_period_start);
  assert.equal(subscription.latest_invoice.amount_paid, 2400);

  const eventName = `node_tokens_${Date.now()}`;
  const meter = await stripe.billing.meters.create({
    display_name: 'Node tokens', event_name: eventName, default_aggregation: { formula: 'sum' },
    customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' },
    value_settings: { event_payload_key: 'value' },
  });
  assert.match(meter.id, /^mtr_/);

  const meterEvent = await stripe.billing.meterEvents.create({
    event_name: eventName, identifier: `node-${Date.now()}`,
    payload: { stripe_customer_id: customer.id, value: '5' },
  });
  assert.equal(meterEvent.object, 'billing.meter_event');
  assert.equal(meterEvent.payload.value, '5');

  const found = await stripe.customers.search({ query: "metadata['tenant_id']:'acme-node'" });
  assert.ok(found.data.some((c) => c.id === customer.id));
});
