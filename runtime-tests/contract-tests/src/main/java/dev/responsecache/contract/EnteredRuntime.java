package dev.responsecache.contract;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Counts the requests that enter the JAX-RS runtime, so that a test can tell an early hit (answered by the servlet
 * filter) from one the runtime answered; and opens the gate once two have entered.
 */
@Provider
@PreMatching
public class EnteredRuntime implements ContainerRequestFilter {

    @Context
    private ServletContext servletContext;

    @Override
    public void filter(ContainerRequestContext request) {
        if (Counters.counter(servletContext, Counters.ENTERED).incrementAndGet() >= 2) {
            Counters.gate(servletContext).countDown();
        }
    }
}
