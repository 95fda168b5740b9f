package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session checks of a JAX-RS request read the container's request itself: Jersey injects a proxy that HK2
 * resolves on every call under a lock all requests of the application share, so calling it for each check made every
 * miss and every hit answered inside Jersey queue on that lock.
 */
class SessionProbeTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sessionChecksCallTheContainersRequestNotJerseysSharedProxy() {
        server = TestServer.jersey(new ResourceConfig().register(SessionReader.class)
                .register(ResponseCacheFeature.class)).start();
        HttpResponse<String> response = server.getText("/api/session-reader");
        assertEquals(200, response.statusCode());
        assertEquals("the container's request", response.body());
    }

    @Path("session-reader")
    public static class SessionReader {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String read(@Context HttpServletRequest injected) {
            if (!(ContainerSession.from(injected.getAttribute(ContainerSession.PROPERTY))
                    instanceof ServletSessionProbe.Session session)) {
                return "no session probe";
            }
            HttpServletRequest read = session.request();
            return Proxy.isProxyClass(read.getClass()) ? "a proxy" : "the container's request";
        }
    }
}
