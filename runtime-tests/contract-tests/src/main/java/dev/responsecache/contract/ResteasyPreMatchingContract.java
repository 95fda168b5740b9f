package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheListener;

import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.resteasy.annotations.ContentEncoding;
import org.jboss.resteasy.annotations.GZIP;
import org.jboss.resteasy.annotations.cache.Cache;
import org.jboss.resteasy.core.ResourceMethodInvoker;
import org.jboss.resteasy.plugins.interceptors.GZIPEncodingInterceptor;
import org.jboss.resteasy.spi.ResteasyProviderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On RESTEasy a hit is answered before the runtime matches the request where nothing could have run between the two:
 * RESTEasy's own providers in every application are admitted by name, and each guarantee still sends the request
 * through matching and the method's own lookup: a filter of the application's, a dynamic feature of its own, a
 * method RESTEasy's {@code @Cache} or content-encoding features add a provider to, a possible session, a
 * representation the runtime would refuse. No servlet filter runs in front (the initializers are not scanned), so
 * only the pre-matching filter can answer early. Run by each RESTEasy module with its container.
 */
public abstract class ResteasyPreMatchingContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String MATCHED = "resteasy.matched";
    private static final String CALLS = "resteasy.calls";
    private static final String BODY = "a representation long enough to be worth encoding. ".repeat(40);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<Container.Deployed> started = new ArrayList<>();

    protected abstract Container container();

    @AfterEach
    void stop() {
        started.forEach(Container.Deployed::close);
    }

    /** A content coding RESTEasy's encoding feature announces for a method, whether or not an encoder runs. */
    @ContentEncoding("deflate")
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    public @interface Deflate {
    }

    @Path("/")
    public static class Resource {
        @jakarta.ws.rs.core.Context
        private jakarta.servlet.ServletContext servletContext;

        private int call() {
            return Counters.counter(servletContext, CALLS).incrementAndGet();
        }

        @GET
        @Path("plain/{id}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String plain() {
            return "plain " + call();
        }

        @GET
        @Path("language")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "header:Accept-Language")
        public String language(@HeaderParam("Accept-Language") String language) {
            return language + " " + call();
        }

        @GET
        @Path("cache-control")
        @Produces(MediaType.TEXT_PLAIN)
        @Cache(maxAge = 30)
        @CacheResponse(ttl = 60)
        public String cacheControl() {
            return "cache-control " + call();
        }

        @GET
        @Path("deflate")
        @Produces(MediaType.TEXT_PLAIN)
        @Deflate
        @CacheResponse(ttl = 60)
        public String deflate() {
            return "deflate " + call();
        }

        @GET
        @Path("gzipped")
        @Produces(MediaType.TEXT_PLAIN)
        @GZIP
        @CacheResponse(ttl = 60)
        public String gzipped() {
            call();
            return BODY;
        }
    }

    public static class PlainApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, Resource.class);
        }
    }

    /** Refuses a request without {@code X-User}: an authentication filter of the application. */
    public static class UserRequired implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getHeaderString("X-User") == null) {
                request.abortWith(Response.status(401).build());
            }
        }
    }

    public static class FilteredApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, Resource.class, UserRequired.class);
        }
    }

    /** Binds a filter that refuses {@code X-Deny} to every resource method: the application's own dynamic feature. */
    public static class Denying implements DynamicFeature {
        @Override
        public void configure(ResourceInfo resourceInfo, FeatureContext context) {
            context.register((ContainerRequestFilter) request -> {
                if (request.getHeaderString("X-Deny") != null) {
                    request.abortWith(Response.status(403).build());
                }
            });
        }
    }

    public static class DenyingApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, Resource.class, Denying.class);
        }
    }

    /**
     * Hands an authentication filter straight to RESTEasy's filter registry, as a start-up hook may: the
     * configuration lists only this feature, which is neither a filter nor a dynamic feature.
     */
    public static class RegistryFilterFeature implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            ((ResteasyProviderFactory) context.getConfiguration()).getContainerRequestFilterRegistry()
                    .registerSingleton(new UserRequired());
            return true;
        }
    }

    public static class RegistryFilterApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, Resource.class, RegistryFilterFeature.class);
        }
    }

    public static class GzipApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, Resource.class, GZIPEncodingInterceptor.class);
        }
    }

    /**
     * Counts the requests RESTEasy matched to a resource method: it marks each with its invoker before running the
     * method's filters (a pre-matching answer never gets one).
     */
    public static class MatchedRequests implements ServletRequestAttributeListener {
        @Override
        public void attributeAdded(ServletRequestAttributeEvent event) {
            if (ResourceMethodInvoker.class.getName().equals(event.getName())) {
                Counters.counter(event.getServletContext(), MATCHED).incrementAndGet();
            }
        }
    }

    private Container.Deployed deploy(Class<? extends Application> application) throws Exception {
        Container.Deployed app = container().deploy(new WebApp().jaxrs(application).scansInitializers(false)
                .listener(ResponseCacheListener.class).listener(MatchedRequests.class), JaxrsRuntime.resteasy());
        started.add(app);
        return app;
    }

    private <T> HttpResponse<T> get(Container.Deployed app, String path, HttpResponse.BodyHandler<T> body,
                                    String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.base().resolve("/api" + path)).timeout(TIMEOUT);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), body);
    }

    private HttpResponse<String> get(Container.Deployed app, String path, String... headers) throws Exception {
        return get(app, path, HttpResponse.BodyHandlers.ofString(), headers);
    }

    private static String cache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private static AtomicInteger matched(Container.Deployed app) {
        return Counters.counter(app.servletContext(), MATCHED);
    }

    private static int calls(Container.Deployed app) {
        return Counters.counter(app.servletContext(), CALLS).get();
    }

    @Test
    void hitOnAnApplicationWithoutFiltersIsAnsweredBeforeMatching() throws Exception {
        Container.Deployed app = deploy(PlainApplication.class);
        HttpResponse<String> miss = get(app, "/plain/1");
        HttpResponse<String> hit = get(app, "/plain/1");
        assertEquals("MISS", cache(miss));
        assertEquals("HIT", cache(hit));
        assertEquals(miss.body(), hit.body());
        assertEquals(miss.headers().allValues("Content-Type"), hit.headers().allValues("Content-Type"));
        assertEquals(1, matched(app).get(), "only the miss went through matching");
        assertEquals(1, calls(app));
    }

    @Test
    void applicationAuthFilterIsNeverBypassedByAPreMatchingHit() throws Exception {
        Container.Deployed app = deploy(FilteredApplication.class);
        assertEquals("MISS", cache(get(app, "/plain/2", "X-User", "bob")));
        assertEquals("HIT", cache(get(app, "/plain/2", "X-User", "bob")));
        assertEquals(401, get(app, "/plain/2").statusCode());
        assertEquals(3, matched(app).get(), "every request went through matching and the application's filter");
        assertEquals(1, calls(app));
    }

    @Test
    void authFilterAFeatureHandsToRestEasysRegistryIsNeverBypassedByAPreMatchingHit() throws Exception {
        Container.Deployed app = deploy(RegistryFilterApplication.class);
        assertEquals("MISS", cache(get(app, "/plain/6", "X-User", "bob")));
        assertEquals("HIT", cache(get(app, "/plain/6", "X-User", "bob")));
        assertEquals(401, get(app, "/plain/6").statusCode(), "the configuration lists the feature, not its filter");
        assertEquals(3, matched(app).get(), "every request went through matching and the filter");
    }

    @Test
    void filterTheApplicationsDynamicFeatureBindsIsNeverBypassed() throws Exception {
        Container.Deployed app = deploy(DenyingApplication.class);
        get(app, "/plain/3");
        assertEquals("HIT", cache(get(app, "/plain/3")));
        assertEquals(403, get(app, "/plain/3", "X-Deny", "yes").statusCode());
        assertEquals(3, matched(app).get());
    }

    @Test
    void cacheControlRestEasyAddsToAnAnnotatedMethodIsOnEveryHit() throws Exception {
        Container.Deployed app = deploy(PlainApplication.class);
        HttpResponse<String> miss = get(app, "/cache-control");
        HttpResponse<String> hit = get(app, "/cache-control");
        assertEquals("HIT", cache(hit));
        assertEquals(miss.headers().allValues("Cache-Control"), hit.headers().allValues("Cache-Control"));
        assertEquals(List.of("max-age=30"), hit.headers().allValues("Cache-Control"));
        assertEquals(2, matched(app).get(), "the method's @Cache filter runs on the hit: it went through matching");
    }

    /**
     * An identity client's miss shows nothing of RESTEasy's encoding filter, which only announces a coding the client
     * accepts: the method's path must still never be answered early, or a deflate client would miss the header.
     */
    @Test
    void contentEncodingMethodIsNeverAnsweredBeforeMatchingAfterAnIdentityMiss() throws Exception {
        Container.Deployed app = deploy(PlainApplication.class);
        HttpResponse<String> identity = get(app, "/deflate");
        assertEquals(List.of(), identity.headers().allValues("Content-Encoding"));
        assertEquals("HIT", cache(get(app, "/deflate")));
        HttpResponse<byte[]> deflate = get(app, "/deflate", HttpResponse.BodyHandlers.ofByteArray(),
                "Accept-Encoding", "deflate");
        assertEquals("HIT", cache(deflate));
        assertEquals(List.of("deflate"), deflate.headers().allValues("Content-Encoding"), "what RESTEasy sends");
        assertEquals(3, matched(app).get(), "every request went through matching");
        assertEquals(1, calls(app));
    }

    @Test
    void gzipMethodIsNeverAnsweredBeforeMatchingWithTheWrongEncoding() throws Exception {
        Container.Deployed app = deploy(GzipApplication.class);
        HttpResponse<byte[]> identity = get(app, "/gzipped", HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(List.of(), identity.headers().allValues("Content-Encoding"));
        HttpResponse<byte[]> zipped = get(app, "/gzipped", HttpResponse.BodyHandlers.ofByteArray(),
                "Accept-Encoding", "gzip");
        assertEquals("HIT", cache(zipped));
        assertEquals(List.of("gzip"), zipped.headers().allValues("Content-Encoding"));
        assertEquals(BODY, new String(new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(zipped.body())).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(2, matched(app).get(), "the application's encoder runs on every hit");
    }

    @Test
    void requestThatMayNameASessionGoesThroughMatching() throws Exception {
        Container.Deployed app = deploy(PlainApplication.class);
        get(app, "/plain/4");
        assertEquals("HIT", cache(get(app, "/plain/4", "Cookie", "theme=dark")));
        assertEquals(2, matched(app).get(), "a cookie may be the container's session: the method's lookup decides");
    }

    @Test
    void acceptTheMethodCannotProduceIsLeftToTheRuntime() throws Exception {
        Container.Deployed app = deploy(PlainApplication.class);
        get(app, "/plain/5");
        HttpResponse<String> refused = get(app, "/plain/5", "Accept", "application/json");
        assertEquals(406, refused.statusCode(), "RESTEasy refuses it (while matching); the stored text is not handed out");
        assertEquals("none", cache(refused));
        assertEquals("HIT", cache(get(app, "/plain/5")), "the path's route is known: the refusal was not a miss");
    }

    @Test
    void variesOfOnePathAreAnsweredBeforeMatchingEachWithItsOwnEntry() throws Exception {
        Container.Deployed app = deploy(PlainApplication.class);
        assertEquals("fr 1", get(app, "/language", "Accept-Language", "fr").body());
        assertEquals("de 2", get(app, "/language", "Accept-Language", "de").body());
        HttpResponse<String> french = get(app, "/language", "Accept-Language", "fr");
        HttpResponse<String> german = get(app, "/language", "Accept-Language", "de");
        assertEquals("fr 1", french.body());
        assertEquals("de 2", german.body());
        assertEquals("HIT", cache(german));
        assertEquals(List.of("Accept-Language"), german.headers().allValues("Vary"));
        assertEquals(2, matched(app).get(), "the hits were answered before matching");
    }
}
