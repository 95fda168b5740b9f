package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With the library's initializer (as a deployed WAR's container runs it), a JAX-RS hit is answered by the library's
 * first servlet filter, before Jersey runs at all, under the rules of the pre-matching hit; a request those rules
 * send on enters Jersey as before.
 */
class ServletLevelHitsTest {

    private final CountingResource resource = new CountingResource();
    private final JerseyEntries entries = new JerseyEntries();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start() {
        server = TestServer.jersey(new ResourceConfig().register(resource).register(entries)
                .register(ResponseCacheFeature.class));
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void hitIsAnsweredBeforeJerseyRuns() {
        start();
        HttpResponse<String> miss = server.getText("/api/items/1");
        HttpResponse<String> hit = server.getText("/api/items/1");
        assertEquals("MISS", cacheHeader(miss));
        assertEquals("HIT", cacheHeader(hit));
        assertEquals(miss.body(), hit.body());
        assertEquals(1, entries.count(), "only the miss entered Jersey");
    }

    @Test
    void requestThatMayNameASessionEntersTheRuntime() {
        start();
        server.getText("/api/items/2");
        assertEquals("HIT", cacheHeader(server.getText("/api/items/2", "Cookie", "theme=dark")));
        assertEquals(200, server.getText("/api/items/2;jsessionid=abc").statusCode());
        assertEquals(3, entries.count(), "a cookie or a path parameter may be the container's session");
    }

    @Test
    void acceptTheMethodCannotProduceIsLeftToTheRuntime() {
        start();
        server.getText("/api/items/3");
        assertEquals(406, server.getText("/api/items/3", "Accept", "text/html").statusCode());
        assertEquals(2, entries.count());
    }

    @Test
    void requestWithCredentialsIsNeverAnsweredInFront() {
        start();
        server.getText("/api/items/4");
        HttpResponse<String> withCredentials = server.getText("/api/items/4", "Authorization", "Bearer x");
        assertNotEquals("HIT", cacheHeader(withCredentials));
        assertEquals(2, entries.count(), "a request with credentials went on into the runtime");
    }

    @Test
    void rangeRequestIsAnsweredWholeAsTheRuntimesOwnHitAnswersIt() {
        start();
        HttpResponse<String> miss = server.getText("/api/items/6");
        HttpResponse<String> ranged = server.getText("/api/items/6", "Range", "bytes=0-1");
        assertEquals(200, ranged.statusCode());
        assertEquals("HIT", cacheHeader(ranged));
        assertEquals(miss.body(), ranged.body());
        assertEquals(2, entries.count(), "the range request was left to the runtime");
    }

    @Test
    void servletThatForwardsToTheRuntimeByNameIsNeverSkipped() {
        server = TestServer.servlets();
        ServletHolder jersey = new ServletHolder("jersey", new ServletContainer(new ResourceConfig()
                .register(resource).register(entries).register(ResponseCacheFeature.class)));
        server.context().getServletHandler().addServlet(jersey);
        server.context().addServlet(new ServletHolder("gate", new TokenGate()), "/api/*");
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        HttpResponse<String> admitted = server.getText("/api/items/5", "X-Token", "open");
        assertEquals(200, admitted.statusCode());
        assertEquals("MISS", cacheHeader(admitted));
        assertEquals(403, server.getText("/api/items/5").statusCode(), "the gate ran for the request without token");
        assertEquals("HIT", cacheHeader(server.getText("/api/items/5", "X-Token", "open")));
    }

    /** Checks a token in code, then forwards to the Jersey servlet by name: no filter anywhere. */
    static final class TokenGate extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws jakarta.servlet.ServletException, IOException {
            if (!"open".equals(request.getHeader("X-Token"))) {
                response.sendError(403);
                return;
            }
            getServletContext().getNamedDispatcher("jersey").forward(request, response);
        }
    }
}
