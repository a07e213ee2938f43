package com.anythingagents.billing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@BillingServiceTest
class SmokeTests {

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    @Test
    void startsWithMigratedSchema() {
        // the tables exist; other test classes share this database, so their rows may be there too
        assertThat(jdbc.sql("select count(*) from stripe_events")
                        .query(Long.class)
                        .single())
                .isNotNegative();
        assertThat(port).isPositive();
    }
}
