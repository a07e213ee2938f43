package com.anythingagents.billing.web;

import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Tomcat as the service needs it: bodies read without pinning threads. Connector limits
 * (connections, timeouts) are in {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebServerConfiguration {

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
}
