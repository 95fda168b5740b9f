package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code earlyJaxrsHits=true}: the servlet filter answers JAX-RS entries without entering Jersey. */
class EarlyHitsTest {

    private static final String ENTERED = "entered-jersey";

    private final MutableClock clock = new MutableClock();
    private TestServer server;

    @TempDir
    Path webapp;

    @BeforeEach
    void start() {
        server = WebApps.start("early", clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int enteredJersey() {
        AtomicInteger count = (AtomicInteger) server.context().getServletContext().getAttribute(ENTERED);
        return count == null ? 0 : count.get();
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void hitOnAJaxrsEntryIsAnsweredWithoutEnteringJersey() {
        HttpResponse<String> miss = server.getText("/api/items/1");
        assertEquals("MISS", cacheHeader(miss));
        assertEquals(1, enteredJersey());
        HttpResponse<String> hit = server.getText("/api/items/1");
        assertEquals("HIT", cacheHeader(hit));
        assertEquals(miss.body(), hit.body());
        assertEquals("application/json", hit.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(1, enteredJersey(), "answered in front of Jersey");
    }

    @Test
    void unknownPathsAndMissesEnterJerseyWhichCachesAsUsual() {
        server.getText("/api/items/2");
        server.getText("/api/items/3");
        assertEquals(2, enteredJersey());
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> expired = server.getText("/api/items/2");
        assertEquals("MISS", cacheHeader(expired));
        assertEquals(3, enteredJersey());
        assertEquals("HIT", cacheHeader(server.getText("/api/items/2")));
        assertEquals(3, enteredJersey());
    }

    @Test
    void representationsAndVaryByStayApartOnTheEarlyPath() {
        server.getText("/api/negotiated", "Accept", "application/json");
        HttpResponse<String> text = server.getText("/api/negotiated", "Accept", "text/plain");
        assertTrue(text.body().startsWith("text"), text.body());
        HttpResponse<String> json = server.getText("/api/negotiated", "Accept", "application/json");
        assertEquals("HIT", cacheHeader(json));
        assertTrue(json.body().startsWith("{"), json.body());
        server.getText("/api/language", "Accept-Language", "fr");
        HttpResponse<String> german = server.getText("/api/language", "Accept-Language", "de");
        assertTrue(german.body().startsWith("de "), german.body());
        assertEquals(4, enteredJersey());
    }

    @Test
    void pathServedByTwoMethodsIsLeftToJersey() {
        server.getText("/api/dual", "Accept", "application/json");
        HttpResponse<String> xml = server.getText("/api/dual", "Accept", "application/xml");
        assertTrue(xml.body().startsWith("<call>"), "never the JSON method's entry: " + xml.body());
        assertTrue(xml.headers().firstValue("Content-Type").orElseThrow().startsWith("application/xml"));
        HttpResponse<String> jsonAgain = server.getText("/api/dual", "Accept", "application/json");
        assertEquals("HIT", cacheHeader(jsonAgain), "answered by Jersey's own lookup");
        assertEquals(3, enteredJersey());
    }

    @Test
    void requestForATypeTheMethodDoesNotProduceIsLeftToJersey() {
        server.getText("/api/items/5");
        HttpResponse<String> html = server.getText("/api/items/5", "Accept", "text/html");
        assertEquals(406, html.statusCode(), "as Jersey answers it");
        assertEquals("HIT", cacheHeader(server.getText("/api/items/5", "Accept", "application/*;q=0.5")));
        assertEquals(2, enteredJersey());
    }

    @Test
    void requestsWithCredentialsAreNeverAnsweredEarly() {
        server.getText("/api/account");
        HttpResponse<String> withToken = server.getText("/api/account", "Authorization", "Bearer alice");
        assertEquals("MISS", cacheHeader(withToken));
        assertEquals(2, enteredJersey());
    }

    @Test
    void policyInitParamsAreRefusedWithEarlyHits() {
        String webXml = WebApps.filterWebXml("earlyJaxrsHits", "true", "ttl", "60");
        Exception failure = assertThrows(Exception.class,
                () -> WebApps.startWithWebXml(webapp.resolve("bad"), webXml).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage());
        }
        assertTrue(messages.toString().contains("filter 'cache': init-param ttl does not apply with earlyJaxrsHits"),
                messages.toString());
    }

    /** Counts the requests that reached Jersey, in the servlet context (Jersey creates its providers itself). */
    @PreMatching
    public static final class EnteredJersey implements ContainerRequestFilter {
        @Context
        private ServletContext context;

        @Override
        public void filter(ContainerRequestContext request) {
            synchronized (EnteredJersey.class) {
                if (context.getAttribute(ENTERED) == null) {
                    context.setAttribute(ENTERED, new AtomicInteger());
                }
            }
            ((AtomicInteger) context.getAttribute(ENTERED)).incrementAndGet();
        }
    }
}
