package dev.responsecache.sample;

import dev.responsecache.ResponseCacheProperties;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Creates the application's meter registry and hands it to the response cache as a context attribute, before the
 * cache's filter and the JAX-RS servlet start. An application that already has a registry (Spring Boot, Quarkus,
 * its own) hands that one instead.
 */
public final class MetricsListener implements ServletContextListener {

    static final String REGISTRY = MetricsListener.class.getName();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        event.getServletContext().setAttribute(REGISTRY, registry);
        event.getServletContext().setAttribute(ResponseCacheProperties.METER_REGISTRY, registry);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (event.getServletContext().getAttribute(REGISTRY) instanceof PrometheusMeterRegistry registry) {
            registry.close();
        }
    }
}
