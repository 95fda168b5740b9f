package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.resteasy.annotations.GZIP;
import org.jboss.resteasy.plugins.interceptors.GZIPEncodingInterceptor;
import org.junit.jupiter.api.Test;

/**
 * With {@code responsecache.compress=gzip}, a RESTEasy method that encodes only for gzip clients ({@code @GZIP},
 * {@code GZIPEncodingInterceptor}): an identity client's miss is stored compressed by the cache, and a gzip client's
 * hit goes through RESTEasy's encoder, which sends the identity tag. That tag must revalidate.
 */
class ResteasyGzipEncoderTest {

    static final String BODY = "a representation long enough to be kept compressed. ".repeat(64);

    @Path("/")
    public static class GzipResource {
        @GET
        @Path("gzipped")
        @GZIP
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public Response gzipped() {
            return Response.ok(BODY).tag(new EntityTag("abc")).build();
        }
    }

    public static class GzipApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, GzipResource.class, GZIPEncodingInterceptor.class);
        }

        @Override
        public Map<String, Object> getProperties() {
            return Map.of(ResponseCacheProperties.COMPRESS, "gzip");
        }
    }

    @Test
    void gzipClientRevalidatesWithTheTagRestEasysEncoderSent() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(GzipApplication.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<byte[]> identity = client.send(request(app, Map.of()), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(List.of(), identity.headers().allValues("Content-Encoding"));
            assertEquals(BODY.length(), identity.body().length);

            HttpResponse<byte[]> zipped = client.send(request(app, Map.of("Accept-Encoding", "gzip")),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("HIT", zipped.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of("gzip"), zipped.headers().allValues("Content-Encoding"));
            String tag = zipped.headers().firstValue("ETag").orElseThrow();

            HttpResponse<byte[]> revalidated = client.send(request(app, Map.of("Accept-Encoding", "gzip",
                    "If-None-Match", tag)), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(304, revalidated.statusCode(), "the tag the hit sent: " + tag);
            assertEquals(tag, revalidated.headers().firstValue("ETag").orElse("none"));
            assertEquals(0, revalidated.body().length);
        }
    }

    private static HttpRequest request(Container.Deployed app, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(app.base().resolve("/api/gzipped"))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(builder::header);
        return builder.build();
    }
}
