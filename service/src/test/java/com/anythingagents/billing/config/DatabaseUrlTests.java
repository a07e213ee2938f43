package com.anythingagents.billing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "postgresql://billing:s3cret@db.internal:6543/billing",
                "postgres://billing:s3cret@db.internal:6543/billing",
                "jdbc:postgresql://billing:s3cret@db.internal:6543/billing",
            })
    void acceptsThePastedForms(String value) {
        DatabaseUrl url = DatabaseUrl.parse(value);

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/billing");
        assertThat(url.username()).isEqualTo("billing");
        assertThat(url.password()).isEqualTo("s3cret");
        assertThat(url.host()).isEqualTo("db.internal");
        assertThat(url.port()).isEqualTo(6543);
        assertThat(url.database()).isEqualTo("billing");
    }

    @Test
    void defaultsPortTo5432() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://billing:pw@db/billing");

        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/billing");
    }

    @Test
    void acceptsUserWithoutPasswordAndNoUserAtAll() {
        DatabaseUrl withUser = DatabaseUrl.parse("postgresql://postgres@127.0.0.1:54329/postgres");
        DatabaseUrl anonymous = DatabaseUrl.parse("postgresql://127.0.0.1/postgres");

        assertThat(withUser.username()).isEqualTo("postgres");
        assertThat(withUser.password()).isNull();
        assertThat(anonymous.username()).isNull();
        assertThat(anonymous.describe()).isEqualTo("127.0.0.1:5432/postgres");
    }

    @Test
    void decodesUrlEncodedPassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://billing:p%40ss%3Aw%2Frd@db/billing");

        assertThat(url.password()).isEqualTo("p@ss:w/rd");
    }

    @Test
    void keepsQueryParameters() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@db:5432/billing?sslmode=require&connectTimeout=5");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/billing?sslmode=require&connectTimeout=5");
    }

    @Test
    void describeNamesWhereButNeverThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://billing:p%40ssword@db.internal:6543/billing");

        assertThat(url.describe()).isEqualTo("db.internal:6543/billing as billing");
        assertThat(url.describe()).doesNotContain("p@ssword").doesNotContain("p%40ssword");
        assertThat(url.jdbcUrl()).doesNotContain("ssword");
    }

    @Test
    void rejectsMissingDatabaseName() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:p@db:5432/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DATABASE_URL has no database name");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:p@db:5432"))
                .hasMessage("DATABASE_URL has no database name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://u:p@db/billing", "jdbc:mysql://db/billing", "db.internal:5432/billing"})
    void rejectsWrongScheme(String value) {
        assertThatThrownBy(() -> DatabaseUrl.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DATABASE_URL must start with postgresql://, postgres:// or jdbc:postgresql://");
    }

    @Test
    void rejectsMissingHost() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///billing")).hasMessage("DATABASE_URL has no host");
    }

    @Test
    void rejectionsNeverEchoThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:top secret@db/billing"))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("top secret");
    }
}
