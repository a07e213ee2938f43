package com.anythingagents.billing.web;

import com.anythingagents.billing.web.RequestBodies.BodyHandler;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Every Spring MVC request that has a body gets it whole before any filter or handler after this
 * one runs, read without pinning a request thread ({@link RequestBodies}): a client trickling a
 * body holds memory for at most {@link RequestBodies#TIMEOUT}, never one of Tomcat's threads.
 * Requests without a body pass straight through, and so do those for other servlets: they read
 * their bodies the same way themselves (the webhook). Registered first, on the REQUEST dispatch.
 */
final class BufferedBodyFilter extends HttpFilter {

    private final transient RequestBodies bodies;

    private final String servletName;

    BufferedBodyFilter(RequestBodies bodies, String servletName) {
        this.bodies = bodies;
        this.servletName = servletName;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!RequestBodies.hasBody(request)
                || !servletName.equals(request.getHttpServletMapping().getServletName())) {
            chain.doFilter(request, response);
            return;
        }
        bodies.read(request, response, new BodyHandler() {

            private BufferedBodyRequest pending;

            @Override
            public AsyncContext startAsync(HttpServletRequest original, HttpServletResponse answer) {
                // the wrapper is what the async dispatch carries down the filter chain
                pending = new BufferedBodyRequest(original, new byte[0]);
                return original.startAsync(pending, answer);
            }

            @Override
            public void body(byte[] body, AsyncContext async) throws IOException, ServletException {
                if (async == null) {
                    chain.doFilter(new BufferedBodyRequest(request, body), response);
                } else {
                    pending.body(body);
                    async.dispatch();
                }
            }
        });
    }
}
