package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Variant;

import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request whose negotiation headers Jersey reads but RESTEasy refuses (a weight {@code .5}) went on into Jersey
 * instead of being answered early from an entry whose {@code Vary} names a negotiation header: the early path judged
 * it as the strictest runtime does, not knowing Jersey was behind. The route now says which runtime stored it; what
 * Jersey refuses still reaches Jersey.
 */
class JerseyReadableWeightNotAnsweredEarlyTest {

    private final AtomicInteger entered = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig(Greeting.class).register(ResponseCacheFeature.class)
                .register(new EarlyHitExactnessTest.CountEntries(entered));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(app)), "/api/*");
        server = TestServer.of(context).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void bareFractionWeightJerseyReadsIsAnsweredEarly() {
        HttpResponse<String> stored = server.getText("/api/greeting", "Accept-Language", "de;q=.5");
        HttpResponse<String> hit = server.getText("/api/greeting", "Accept-Language", "de;q=.5");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(stored.body(), hit.body());
        assertEquals(1, entered.get(), "answered in front of Jersey");
    }

    @Test
    void bareFractionWeightInAcceptJerseyMatchedByIsAnsweredEarly() {
        HttpResponse<String> stored = server.getText("/api/greeting", "Accept", "text/plain;q=.5");
        HttpResponse<String> hit = server.getText("/api/greeting", "Accept", "text/plain;q=.5");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(stored.body(), hit.body());
        assertEquals(1, entered.get(), "answered in front of Jersey");
    }

    @Test
    void weightJerseyRefusesStillReachesJersey() {
        server.getText("/api/greeting", "Accept-Language", "de");
        HttpResponse<String> refused = server.getText("/api/greeting", "Accept-Language", "de",
                "Accept-Charset", "utf-8;q=2");
        assertEquals(400, refused.statusCode(), "as Jersey answers it");
        assertEquals(2, entered.get());
    }

    /** Its language chosen by {@code Request.selectVariant}: Jersey adds {@code Vary: Accept-Language}. */
    @Path("greeting")
    public static final class Greeting {
        private static final AtomicInteger CALLS = new AtomicInteger();

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Response greeting(@Context Request request) {
            Variant variant = request.selectVariant(Variant.languages(Locale.GERMAN, Locale.FRENCH).add().build());
            Locale language = variant == null ? Locale.GERMAN : variant.getLanguage();
            String greeting = Locale.FRENCH.equals(language) ? "bonjour " : "hallo ";
            return Response.ok(greeting + CALLS.incrementAndGet()).language(language).build();
        }
    }
}
