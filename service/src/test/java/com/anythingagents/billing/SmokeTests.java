package com.anythingagents.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;

@BillingServiceTest
class SmokeTests {

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    @Test
    void startsWithEveryMigrationAppliedAndAnswersHealth() throws IOException {
        List<String> shipped = Arrays.stream(
                        new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/V*__*.sql"))
                .map(Resource::getFilename)
                .map(name -> name.substring(1, name.indexOf("__")).replace('_', '.'))
                .sorted()
                .toList();

        assertThat(jdbc.sql("select version from flyway_schema_history where success and version is not null")
                        .query(String.class)
                        .list())
                .containsExactlyInAnyOrderElementsOf(shipped);
        assertThat(shipped).contains("1", "5");
        HttpProbe.Response health = new HttpProbe(port).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
    }
}
