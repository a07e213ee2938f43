package com.anythingagents.billing.web;

import jakarta.servlet.DispatcherType;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Tomcat as the service needs it: bodies read without pinning threads, the error envelope for
 * requests Tomcat refuses itself, and no request data in Tomcat's logs. Connector limits
 * (connections, timeouts) are in {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebServerConfiguration {

    /** Tomcat's switch for logging malformed requests, which it does quoting the offending line. */
    static final String USER_DATA_LOGGING = "org.apache.juli.logging.UserDataHelper.CONFIG";

    /** Spring Boot's name for the DispatcherServlet registration. */
    private static final String DISPATCHER_SERVLET = "dispatcherServlet";

    @Bean
    FilterRegistrationBean<BufferedBodyFilter> bufferedBodyFilter(RequestBodies bodies) {
        FilterRegistrationBean<BufferedBodyFilter> registration =
                new FilterRegistrationBean<>(new BufferedBodyFilter(bodies, DISPATCHER_SERVLET));
        // Mapped by URL and first: before Spring Security, so that no response is written (a 401)
        // while a body is still unread, which Tomcat would then drain with blocking reads; and no
        // other filter runs twice for a body read asynchronously. (A servlet-name mapping would put
        // it after every URL-mapped filter.)
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    @Bean
    TomcatHardening tomcatHardening() {
        return new TomcatHardening();
    }

    /** Runs after Spring Boot's own Tomcat customizer, which installs an HTML error report valve. */
    static final class TomcatHardening
            implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
            // A header with a control character is logged at INFO with the whole line: a bearer
            // token. NOTHING silences these reports (an operator who sets the property decides).
            if (System.getProperty(USER_DATA_LOGGING) == null) {
                System.setProperty(USER_DATA_LOGGING, "NOTHING");
            }
            factory.addContextCustomizers(context -> {
                Host host = (Host) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new JsonErrorReportValve());
                // the host adds a report valve at start unless one of this class is there already
                if (host instanceof StandardHost standard) {
                    standard.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
