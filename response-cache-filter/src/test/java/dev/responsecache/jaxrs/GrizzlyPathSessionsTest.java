package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey on Grizzly answers hits before matching ({@link PreMatchingHits}) when the application runs no filter of its
 * own. Whether the request carries a session Grizzly read before Jersey is known only from Grizzly's request
 * ({@link GrizzlyPathSessions}); when that request cannot be read, the request must go on to the method's lookup
 * rather than get the entry stored for visitors without a session. Grizzly's request is made unreadable outside Jersey
 * (a handler in front of Jersey's container hands it a request whose requested session id cannot be read), since
 * a filter of the application would keep hits before matching off altogether.
 */
class GrizzlyPathSessionsTest {

    private static final String UNREADABLE = "X-Test-Unreadable";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PreMatchingHitsTest.Matchings matchings = new PreMatchingHitsTest.Matchings();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        GrizzlyHttpContainer container = ContainerFactory.createContainer(GrizzlyHttpContainer.class,
                new ResourceConfig().register(new Page(calls)).register(matchings)
                        .register(ResponseCacheFeature.class));
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), false);
        server.getServerConfiguration().addHttpHandler(new UnreadableOnDemand(container), "/api");
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/api/");
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void unreadableGrizzlyRequestIsNotAnsweredTheVisitorsPageBeforeMatching() throws Exception {
        assertEquals("MISS", cache(get()));
        assertEquals("HIT", cache(get()));
        assertEquals(1, matchings.count.get(), "the visitors' hit was answered before matching");
        HttpResponse<String> unread = get(UNREADABLE, "throws");
        assertEquals("ResponseCache; fwd=bypass; detail=session",
                unread.headers().firstValue("Cache-Status").orElse("none"),
                "X-Cache: " + cache(unread) + ": it may carry a session Grizzly took out of the path");
        assertEquals(2, matchings.count.get(), "it went on to the method's lookup");
        assertEquals(2, calls.get());
    }

    private HttpResponse<String> get(String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("page")).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Path("page")
    public static final class Page {
        private final AtomicInteger calls;

        Page(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String page() {
            return "page " + calls.incrementAndGet();
        }
    }

    /** Hands Jersey's container, for requests marked {@value #UNREADABLE}, a Grizzly request it cannot read. */
    private static final class UnreadableOnDemand extends HttpHandler {
        private final GrizzlyHttpContainer container;

        UnreadableOnDemand(GrizzlyHttpContainer container) {
            this.container = container;
        }

        @Override
        public void start() {
            container.start();
        }

        @Override
        public void destroy() {
            container.destroy();
        }

        @Override
        public void service(Request request, Response response) throws Exception {
            container.service(request.getHeader(UNREADABLE) == null ? request : new Unreadable(request), response);
        }
    }

    /** The same request and response, except that its requested session id cannot be read. */
    private static final class Unreadable extends Request {
        Unreadable(Request request) {
            super(request.getResponse());
            initialize(request.getRequest(), request.getContext(), request.getHttpFilter());
            setContextPath(request.getContextPath());
        }

        @Override
        public String getRequestedSessionId() {
            throw new IllegalStateException("Grizzly's request cannot be read");
        }
    }
}
