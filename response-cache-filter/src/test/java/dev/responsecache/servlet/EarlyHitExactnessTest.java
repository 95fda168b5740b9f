package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.TestServer;

import jakarta.inject.Singleton;
import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.hk2.utilities.binding.AbstractBinder;
import org.glassfish.jersey.InjectionManagerProvider;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An early hit (the servlet filter answering a JAX-RS entry in front of Jersey) is exactly the response Jersey
 * would have sent; where that cannot be known, the request goes to Jersey.
 */
class EarlyHitExactnessTest {

    private final AtomicInteger entered = new AtomicInteger();
    private TestServer server;

    private void start(Class<?>... extraProviders) {
        ResourceConfig app = new ResourceConfig(NegotiatedResource.class, TwinJson.class, TwinText.class).register(ResponseCacheFeature.class)
                .register(new CountEntries(entered));
        for (Class<?> provider : extraProviders) {
            app.register(provider);
        }
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
    void singleTypeMethodIsAnsweredEarly() {
        start();
        server.getText("/api/negotiated/only");
        HttpResponse<String> hit = server.getText("/api/negotiated/only", "Accept", "text/html, application/json");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(1, entered.get(), "answered in front of Jersey");
    }

    @Test
    void bodilessResponseIsAnsweredEarlyWithItsHeaders() {
        start();
        server.getText("/api/negotiated/empty");
        HttpResponse<String> hit = server.getText("/api/negotiated/empty");
        assertEquals(204, hit.statusCode());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("yes", hit.headers().firstValue("X-Empty").orElseThrow());
        assertEquals(1, entered.get(), "answered in front of Jersey");
    }

    @Test
    void earlyHitNeverAnswersWithACachedMethodWhenJerseyPrefersAnUncachedSibling() {
        start();
        server.getText("/api/negotiated/both", "Accept", "application/json");
        server.getText("/api/negotiated/both", "Accept", "application/json");
        HttpResponse<String> text = server.getText("/api/negotiated/both",
                "Accept", "text/plain, application/json;q=0.5");
        assertEquals("text", text.body());
        assertEquals(List.of("text/plain"), text.headers().allValues("Content-Type"));
        assertEquals(3, entered.get());
    }

    @Test
    void earlyHitNeverAnswersForASiblingMethodDeclaredInAnotherClassOnTheSamePath() {
        start();
        server.getText("/api/twin", "Accept", "application/json");
        server.getText("/api/twin", "Accept", "application/json");
        HttpResponse<String> text = server.getText("/api/twin", "Accept", "text/plain, application/json;q=0.5");
        assertEquals("twin text", text.body());
        assertEquals(3, entered.get());
    }

    @Test
    void acceptThatRefusesTheOnlyTypeWithQZeroGoesToJersey() {
        start();
        server.getText("/api/negotiated/only");
        server.getText("/api/negotiated/only", "Accept", "*/*, application/json;q=0");
        assertEquals(2, entered.get());
    }

    @Test
    void repeatedKeyedCookieGoesToJerseySoTheEntryMatchesTheValueTheResourceSees() {
        start();
        server.getText("/api/negotiated/lang", "Cookie", "lang=de");
        HttpResponse<String> repeated = server.getText("/api/negotiated/lang", "Cookie", "lang=de; lang=fr");
        assertEquals(2, entered.get());
        HttpResponse<String> fresh = server.getText("/api/negotiated/lang", "Cookie", "lang=de; lang=fr");
        assertEquals(fresh.body(), repeated.body());
    }

    @Test
    void earlyHitIsNotGivenWhenTheApplicationHasResponseFiltersSoTheyApplyOnce() {
        start(AllowAnyOrigin.class);
        server.getText("/api/negotiated/only");
        HttpResponse<String> hit = server.getText("/api/negotiated/only");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(2, entered.get(), "answered by Jersey, through the application's filter");
        assertEquals(List.of("*"), hit.headers().allValues("Access-Control-Allow-Origin"));
    }

    @Test
    void earlyHitIsNotGivenWhenAFeatureHandsACorsFilterToJerseysInjectionManager() {
        start(InjectedCors.class);
        server.getText("/api/negotiated/only");
        HttpResponse<String> hit = server.getText("/api/negotiated/only", "Origin", "https://shop.example");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(2, entered.get(), "the configuration lists only the feature, not the filter it bound");
        assertEquals(List.of("*"), hit.headers().allValues("Access-Control-Allow-Origin"));
    }

    /** Counts the requests that enter Jersey. */
    @PreMatching
    public static final class CountEntries implements ContainerRequestFilter {
        private final AtomicInteger entered;

        CountEntries(AtomicInteger entered) {
            this.entered = entered;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            entered.incrementAndGet();
        }
    }

    /**
     * Binds {@link CorsWhenAsked} in Jersey's injection manager itself: the configuration lists only this feature, and
     * a response without {@code Origin} shows nothing of the filter.
     */
    public static final class InjectedCors implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            InjectionManagerProvider.getInjectionManager(context).register(new AbstractBinder() {
                @Override
                protected void configure() {
                    bind(CorsWhenAsked.class).to(ContainerResponseFilter.class).in(Singleton.class);
                }
            });
            return true;
        }
    }

    /** As CORS filters do: the header only on a request that names its origin. */
    public static final class CorsWhenAsked implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getHeaderString("Origin") != null) {
                response.getHeaders().add("Access-Control-Allow-Origin", "*");
            }
        }
    }

    public static final class AllowAnyOrigin implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("Access-Control-Allow-Origin", "*");
        }
    }

    @Path("twin")
    public static class TwinJson {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String json() {
            return "{\"twin\":true}";
        }
    }

    @Path("/twin/")
    public static class TwinText {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String text() {
            return "twin text";
        }
    }

    @Path("negotiated")
    public static class NegotiatedResource {

        @GET
        @Path("only")
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String only() {
            return "{}";
        }

        @GET
        @Path("both")
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String json() {
            return "{\"json\":true}";
        }

        @GET
        @Path("both")
        @Produces(MediaType.TEXT_PLAIN)
        public String text() {
            return "text";
        }

        @GET
        @Path("empty")
        @CacheResponse(ttl = 60, statuses = 204)
        public jakarta.ws.rs.core.Response empty() {
            return jakarta.ws.rs.core.Response.noContent().header("X-Empty", "yes").build();
        }

        @GET
        @Path("lang")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "cookie:lang")
        public String lang(@CookieParam("lang") String lang) {
            return "lang=" + lang;
        }
    }
}
