package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey takes the charset of the response from the {@code Accept} range it negotiated
 * ({@code Accept: text/plain;charset=UTF-16} gets {@code text/plain;charset=UTF-16} and UTF-16 bytes from the built-in
 * String writer). A method producing one type keys every request on that type alone, so one such request must not
 * choose the charset everyone else gets.
 */
class CharsetFromAcceptTest {

    private final JerseyEntries entries = new JerseyEntries();
    private final PreMatchingHitsTest.Matchings matchings = new PreMatchingHitsTest.Matchings();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(TextResource.class).register(entries)
                .register(matchings).register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void charsetOneRequestAskedForIsNotServedToARequestThatAskedForAnother() {
        HttpResponse<byte[]> utf16 = server.get("/api/text", "Accept", "text/plain;charset=UTF-16");
        assertEquals("text/plain;charset=UTF-16", utf16.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> utf8 = server.get("/api/text", "Accept", "text/plain;charset=UTF-8");
        String cache = "X-Cache: " + utf8.headers().firstValue("X-Cache").orElse("none");
        // Jetty writes the UTF-8 type in lower case (its own constant); a charset's name is case-insensitive.
        assertEquals("text/plain;charset=utf-8",
                utf8.headers().firstValue("Content-Type").orElseThrow().toLowerCase(java.util.Locale.ROOT), cache);
        assertArrayEquals("caf\u00e9".getBytes(StandardCharsets.UTF_8), utf8.body(), cache);
    }

    /**
     * The entry of a request asking for a charset is keyed on its {@code Accept} header, so a cache downstream must
     * key it so too: the miss and every hit (before matching here) say {@code Vary: Accept}, once.
     */
    @Test
    void responseKeyedOnAcceptParametersVariesOnAccept() {
        assertVariesOnAccept();
        assertEquals(1, matchings.count.get(), "the hit was answered before matching");
    }

    /** The same through the method's own lookup (a request filter of the application keeps early hits off). */
    @Test
    void responseKeyedOnAcceptParametersVariesOnAcceptWhenTheMethodsLookupAnswers() {
        server.close();
        server = TestServer.jersey(new ResourceConfig().register(TextResource.class).register(matchings)
                .register(PassingFilter.class).register(ResponseCacheFeature.class)).start();
        assertVariesOnAccept();
        assertEquals(2, matchings.count.get(), "the hit went through matching to the method's lookup");
    }

    /** The same when the library's servlet filter answers the hit before Jersey runs. */
    @Test
    void responseKeyedOnAcceptParametersVariesOnAcceptWhenAnsweredInFrontOfJersey() {
        server.close();
        server = TestServer.jersey(new ResourceConfig().register(TextResource.class).register(entries)
                .register(ResponseCacheFeature.class));
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        assertVariesOnAccept();
        assertEquals(1, entries.count(), "the hit was answered in front of Jersey");
    }

    /** The same when an {@code earlyJaxrsHits} filter of the application answers the hit before Jersey runs. */
    @Test
    void responseKeyedOnAcceptParametersVariesOnAcceptWhenAnEarlyJaxrsHitsFilterAnswers() {
        server.close();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(TextResource.class)
                .register(entries).register(ResponseCacheFeature.class))), "/api/*");
        server = TestServer.of(context).start();
        assertVariesOnAccept();
        assertEquals(1, entries.count(), "the hit was answered by the filter in front of Jersey");
    }

    /** The application's own {@code Vary} is kept, with {@code Accept} joined to it once. */
    @Test
    void acceptJoinsTheApplicationsVaryOnceWhenTheKeyDependsOnAcceptParameters() {
        HttpResponse<byte[]> miss = server.get("/api/text/varied", "Accept", "text/plain;charset=UTF-16");
        HttpResponse<byte[]> hit = server.get("/api/text/varied", "Accept", "text/plain;charset=UTF-16");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(List.of("Accept-Language, Accept"), miss.headers().allValues("Vary"));
        assertEquals(List.of("Accept-Language, Accept"), hit.headers().allValues("Vary"));
    }

    private void assertVariesOnAccept() {
        HttpResponse<byte[]> miss = server.get("/api/text", "Accept", "text/plain;charset=UTF-16");
        HttpResponse<byte[]> hit = server.get("/api/text", "Accept", "text/plain;charset=UTF-16");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(List.of("Accept"), miss.headers().allValues("Vary"));
        assertEquals(List.of("Accept"), hit.headers().allValues("Vary"));
    }

    /**
     * A known limit, kept on purpose: a request without parameters in {@code Accept} is keyed on the one type alone,
     * and its response (miss and hit) says no {@code Vary: Accept}, as Jersey itself sends none uncached. So a cache
     * downstream may store this UTF-8 answer and hand it to a client asking for {@code charset=UTF-16}, which this
     * cache would answer apart. Varying every such response on {@code Accept} would split every CDN's entries by
     * each browser's {@code Accept}; an application whose clients ask for charsets sends {@code Vary: Accept} itself.
     */
    @Test
    void responseToAPlainAcceptDoesNotVaryOnAcceptThoughACharsetRequestIsAnsweredApart() {
        assertEquals(List.of(), server.get("/api/text", "Accept", "text/plain").headers().allValues("Vary"));
        assertEquals(List.of(), server.get("/api/text", "Accept", "text/plain").headers().allValues("Vary"));
    }

    /** An application request filter: its presence keeps hits before matching off. */
    public static final class PassingFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            // lets every request on
        }
    }

    @Path("text")
    public static final class TextResource {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public String text() {
            return "caf\u00e9";
        }

        @GET
        @Path("varied")
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public Response varied() {
            return Response.ok("caf\u00e9").header("Vary", "Accept-Language").build();
        }
    }
}
