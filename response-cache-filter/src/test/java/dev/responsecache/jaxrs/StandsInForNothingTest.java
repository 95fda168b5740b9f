package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;

import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

/**
 * RESTEasy was taken to be answering whenever its SPI was on the class path: a runtime's proxied servlet request was
 * then checked against RESTEasy's context data, and {@code ResteasyProviderFactory.getInstance()} (here, with the SPI
 * alone, it finds no implementation) could throw out of the session probe as a 500. Only a request RESTEasy answers
 * (its own request context) is asked of RESTEasy.
 */
class StandsInForNothingTest {

    @Test
    void proxiedRequestOfAnotherRuntimeIsNotAskedOfResteasy() {
        ContainerRequestContext request = (ContainerRequestContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ContainerRequestContext.class},
                (proxy, method, args) -> null);
        assertFalse(RuntimeIntegration.standsInForNothing(HttpServletRequest.class, request));
    }
}
