package com.anythingagents.billing.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.billing.security.Role;
import com.stripe.StripeClient;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionListParams;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The Idempotency-Key filter when the database fails after Stripe acted: the client gets the
 * route's real answer, and a retry under the key repeats the same Stripe requests (one effect).
 */
@BillingServiceTest
class IdempotencyFilterTests {

    static final String CHECKOUT = "{\"plan_code\":\"pro\",\"success_url\":\"https://app.example.com/done\","
            + "\"cancel_url\":\"https://app.example.com/plans\"}";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    BillingApi api;

    StripeClient stripe;

    String tenant;

    String owner;

    String key;

    @BeforeEach
    void setUp() {
        api = new BillingApi(port);
        stripe = EmulatorControl.local().stripe();
        tenant = "t_" + UUID.randomUUID();
        owner = BillingApi.token(tenant, Role.OWNER);
        key = "checkout-" + UUID.randomUUID();
    }

    @AfterEach
    void restoreTheKeys() {
        jdbc.sql("drop trigger if exists idempotency_tests_refuse_completion on api_idempotency_keys")
                .update();
    }

    @Test
    void answerThatCouldNotBeKeptStillReachesTheClientAndItsRetryRepeatsTheSameStripeRequest() throws Exception {
        refuseToStoreTheAnswerOf(key); // the database fails between Stripe's answer and ours

        Response first = api.post("/api/v1/billing/checkout", owner, CHECKOUT, "Idempotency-Key", key);

        assertThat(first.status()).as(first.body()).isEqualTo(201); // not a 500: Stripe did act
        String session = first.json().path("checkout_session_id").asString();
        assertThat(session).startsWith("cs_");
        assertThat(keyRows()).isZero(); // freed, so the retry runs instead of waiting for a lease
        restoreTheKeys();

        Response retry = api.post("/api/v1/billing/checkout", owner, CHECKOUT, "Idempotency-Key", key);

        assertThat(retry.status()).as(retry.body()).isEqualTo(201);
        assertThat(retry.json().path("checkout_session_id").asString()).isEqualTo(session);
        assertThat(sessionsOf(stripe.checkout().sessions().retrieve(session).getCustomer()))
                .containsExactly(session);
        Response replayed = api.post("/api/v1/billing/checkout", owner, CHECKOUT, "Idempotency-Key", key);
        assertThat(replayed.header("Idempotent-Replayed")).contains("true");
        assertThat(replayed.json().path("checkout_session_id").asString()).isEqualTo(session);
    }

    @Test
    void anotherKeyForTheSameRequestIsANewStripeRequest() {
        Response first = api.post("/api/v1/billing/checkout", owner, CHECKOUT, "Idempotency-Key", key);
        Response other = api.post("/api/v1/billing/checkout", owner, CHECKOUT, "Idempotency-Key", key + "-b");

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(other.status()).as(other.body()).isEqualTo(201);
        assertThat(other.json().path("checkout_session_id").asString())
                .isNotEqualTo(first.json().path("checkout_session_id").asString());
    }

    private void refuseToStoreTheAnswerOf(String key) {
        jdbc.sql("""
                        create or replace function idempotency_tests_refuse() returns trigger language plpgsql as $$
                        begin raise exception 'simulated database failure'; end $$""").update();
        jdbc.sql("""
                        create trigger idempotency_tests_refuse_completion before update on api_idempotency_keys
                        for each row when (new.idempotency_key = '%s' and new.status = 'completed')
                        execute function idempotency_tests_refuse()""".formatted(key)).update();
    }

    private int keyRows() {
        return jdbc.sql("select count(*) from api_idempotency_keys where tenant_id = ? and idempotency_key = ?")
                .params(tenant, key)
                .query(Integer.class)
                .single();
    }

    private List<String> sessionsOf(String customer) throws Exception {
        return stripe
                .checkout()
                .sessions()
                .list(SessionListParams.builder().setCustomer(customer).build())
                .getData()
                .stream()
                .map(Session::getId)
                .toList();
    }
}
