package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey on Grizzly hands a method Grizzly's own response ({@code @Context Request}, then {@code getResponse()}),
 * whose header lines its client gets beside the JAX-RS response the cache reads. Only a cookie there kept the
 * response out: a token header set there went to the first visitor alone, and the page embedding that visitor's token
 * was stored and answered to every later one without it. As in a servlet container, any line put there keeps the
 * response out.
 */
class HeaderSetOnGrizzlysOwnResponseWasMissingFromEveryHitTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;
    private URI base;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void headerSetOnGrizzlysOwnResponseKeepsThePageOut() throws Exception {
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/"),
                new ResourceConfig().register(new Form(calls)).register(ResponseCacheFeature.class), false);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/api/");

        HttpResponse<String> first = get("form");
        assertEquals("form with token 1", first.body());
        assertEquals("t1", first.headers().firstValue("X-Csrf-Token").orElse("none"));
        assertEquals("ResponseCache; fwd=uri-miss; detail=servlet-response",
                first.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<String> second = get("form");
        assertEquals("form with token 2", second.body(), "X-Cache: "
                + second.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("t2", second.headers().firstValue("X-Csrf-Token").orElse("none"));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Path("form")
    public static final class Form {
        private final AtomicInteger calls;

        Form(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String form(@Context Request request) {
            int call = calls.incrementAndGet();
            request.getResponse().addHeader("X-Csrf-Token", "t" + call);
            return "form with token " + call;
        }
    }
}
