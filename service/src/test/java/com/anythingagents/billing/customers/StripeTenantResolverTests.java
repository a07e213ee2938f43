package com.anythingagents.billing.customers;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventParser;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

@BillingServiceTest
class StripeTenantResolverTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    StripeTenantResolver resolver;

    @Autowired
    JdbcClient jdbc;

    final String tenant = "resolver-" + UUID.randomUUID();

    final String customer = "cus_resolver_" + UUID.randomUUID();

    @AfterEach
    void cleanUp() {
        jdbc.sql("delete from billing_customers where tenant_id = ?")
                .param(tenant)
                .update();
    }

    @Test
    void objectMetadataComesFirst() {
        mapCustomer();
        StripeEvent event = event("""
                {"object":"invoice","customer":"%s","metadata":{"tenant_id":"own"},
                 "parent":{"subscription_details":{"metadata":{"tenant_id":"snapshot"}}}}""");

        assertThat(resolver.resolve(event)).contains("own");
    }

    @Test
    void invoiceFallsBackToItsSubscriptionMetadataSnapshot() {
        mapCustomer();
        StripeEvent event = event("""
                {"object":"invoice","customer":"%s","metadata":{},
                 "parent":{"subscription_details":{"metadata":{"tenant_id":"snapshot"}}}}""");

        assertThat(resolver.resolve(event)).contains("snapshot");
    }

    @Test
    void checkoutSessionFallsBackToClientReferenceId() {
        StripeEvent event = event("""
                {"object":"checkout.session","customer":"%s","metadata":{},"client_reference_id":"ref-tenant"}""");

        assertThat(resolver.resolve(event)).contains("ref-tenant");
    }

    @Test
    void otherwiseTheLocalCustomerMappingDecides() {
        mapCustomer();

        assertThat(resolver.resolve(event("{\"object\":\"charge\",\"customer\":\"%s\"}")))
                .contains(tenant);
    }

    @Test
    void unknownCustomerWithoutMetadataIsUnresolved() {
        assertThat(resolver.resolve(
                        event("{\"object\":\"charge\",\"customer\":\"%s\",\"metadata\":{\"tenant_id\":\"\"}}")))
                .isEmpty();
    }

    private void mapCustomer() {
        jdbc.sql("insert into billing_customers (tenant_id, stripe_customer_id) values (?, ?)")
                .params(tenant, customer)
                .update();
    }

    private StripeEvent event(String objectJson) {
        String object = objectJson.formatted(customer).replace("{\"object\"", "{\"id\":\"obj_1\",\"object\"");
        return StripeEventParser.parse(JSON.readTree("""
                {"id":"evt_resolver","type":"test.event","created":1000,"data":{"object":%s}}""".formatted(object)));
    }
}
