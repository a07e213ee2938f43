// Drives the emulator with the official stripe-node SDK. Needs STRIPE_API_BASE (e.g. http://127.0.0.1:12111).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';

const base = new URL(process.env.STRIPE_API_BASE ?? 'http://127.0.0.1:12111');
// A custom host also replaces meter-events.stripe.com, so the v2 stream reaches the emulator too.
const connection = {
  host: base.hostname,
  port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
  protocol: base.protocol.replace(':', ''),
  maxNetworkRetries: 0,
};
const stripe = new Stripe('sk_test_node_sdk_check', connection);

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

test('checkout session in subscription mode, paid through the hosted page form', async () => {
  const product = await stripe.products.create({ name: 'Node checkout' });
  const price = await stripe.prices.create({
    currency: 'usd', unit_amount: 2900, product: product.id, recurring: { interval: 'month' },
  });
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer_email: 'node-checkout@acme.test',
    line_items: [{ price: price.id, quantity: 1 }],
    success_url: 'https://app.acme.test/done?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://app.acme.test/billing',
    client_reference_id: 'acme-node',
    subscription_data: { metadata: { tenant_id: 'acme-node' } },
  });
  assert.match(session.id, /^cs_test_/);
  assert.equal(session.status, 'open');
  assert.equal(session.amount_total, 2900);
  assert.ok(session.url.endsWith(`/checkout/${session.id}`));

  const paid = await fetch(session.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card: '4242 4242 4242 4242' }),
    redirect: 'manual',
  });
  assert.equal(paid.status, 303);
  assert.equal(paid.headers.get('location'), `https://app.acme.test/done?session=${session.id}`);

  const complete = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] });
  assert.equal(complete.status, 'complete');
  assert.equal(complete.subscription.status, 'active');
  assert.equal(complete.subscription.metadata.tenant_id, 'acme-node');
});

test('v2 meter event session and meter event stream', async () => {
  const customer = await stripe.customers.create({ email: 'node-stream@acme.test' });
  const eventName = `node_stream_${Date.now()}`;
  const meter = await stripe.billing.meters.create({
    display_name: 'Node stream', event_name: eventName, default_aggregation: { formula: 'sum' },
  });
  const session = await stripe.v2.billing.meterEventSession.create();
  assert.equal(session.object, 'v2.billing.meter_event_session');
  assert.ok(session.authentication_token);

  const streaming = new Stripe(session.authentication_token, connection);
  const event = (identifier, value) => ({
    event_name: eventName, identifier, payload: { stripe_customer_id: customer.id, value },
    timestamp: new Date().toISOString(),
  });
  await streaming.v2.billing.meterEventStream.create({ events: [event('n-1', '4'), event('n-2', '6')] });
  await streaming.v2.billing.meterEventStream.create({ events: [event('n-2', '6')] }); // duplicate: dropped

  const minute = Math.floor(Date.now() / 60000) * 60;
  const summaries = await stripe.billing.meters.listEventSummaries(meter.id, {
    customer: customer.id, start_time: minute - 3600, end_time: minute + 3600,
  });
  assert.equal(summaries.data[0].aggregated_value, 10);
});
