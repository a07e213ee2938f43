package com.anythingagents.billing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** The settable clock and the switchable datasource of {@link ManualPipelineTest}. */
@TestConfiguration(proxyBeanMethods = false)
public class ManualPipelineConfiguration {

    @Bean
    @Primary
    SettableClock settableClock() {
        return new SettableClock(Instant.now());
    }

    @Bean
    static BeanPostProcessor failableDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof DataSource dataSource && !(bean instanceof FailableDataSource)
                        ? new FailableDataSource(dataSource)
                        : bean;
            }
        };
    }

    /** A clock tests move by hand. */
    public static final class SettableClock extends Clock {

        private volatile Instant now;

        public SettableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** The real pool, until a test pulls the plug: then new connections fail like an unreachable server. */
    public static final class FailableDataSource extends DelegatingDataSource {

        private volatile boolean down;

        FailableDataSource(DataSource target) {
            super(target);
        }

        public void down(boolean down) {
            this.down = down;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                throw new SQLTransientConnectionException("Connection refused (test: database down)", "08001");
            }
            return super.getConnection();
        }
    }
}
