package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Providers;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * On RESTEasy, an application response filter that sets the status from the entity would see the stored bytes on a
 * hit and answer the method's 200 where the miss answered the filter's 410 (as on Jersey; RESTEasy in a servlet
 * container hands the status to the servlet response at once, which refused it already as {@code servlet-response}:
 * a guard here). And an application response filter or writer interceptor that replaces the entity (an API envelope around
 * whatever the method returned) runs on a hit too: the stored body, written after the envelope wrapped the method's
 * entity, was wrapped a second time on every hit. Such a response is not stored.
 */
class ResteasyEntityOrStatusReplacedAfterTheMethodTest {

    private static final String ONCE = "{\"data\":\"hello\"}";
    private static final String RETIRED = "no longer sold: product ";

    @Test
    void aResponseFilterOrWriterInterceptorReplacingTheEntityIsAnsweredOnceWrapped() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(EnvelopeApplication.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : new String[] {"/api/filtered", "/api/written"}) {
                HttpResponse<String> first = client.send(request(app, path), HttpResponse.BodyHandlers.ofString());
                assertEquals(ONCE, first.body(), path);
                assertTrue(first.headers().firstValue("Cache-Status").isPresent(), path);
                HttpResponse<String> second = client.send(request(app, path), HttpResponse.BodyHandlers.ofString());
                assertEquals(ONCE, second.body(),
                        path + " X-Cache: " + second.headers().firstValue("X-Cache").orElse("none"));
                assertEquals("MISS", second.headers().firstValue("X-Cache").orElse("none"), path);
            }
        }
    }

    @Test
    void aStatusAResponseFilterSetIsTheStatusOfEveryAnswer() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(EnvelopeApplication.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> first = client.send(request(app, "/api/retired"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(410, first.statusCode());
            HttpResponse<String> second = client.send(request(app, "/api/retired"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(410, second.statusCode(),
                    "X-Cache: " + second.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(first.body(), second.body());
        }
    }

    private static HttpRequest request(Container.Deployed app, String path) {
        return HttpRequest.newBuilder(app.base().resolve(path)).timeout(Duration.ofSeconds(30)).build();
    }

    @Path("/")
    public static class Greetings {
        @GET
        @Path("filtered")
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String filtered() {
            return "\"hello\"";
        }

        @GET
        @Path("retired")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String retired() {
            return RETIRED + "7";
        }

        @GET
        @Path("written")
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String written() {
            return "\"hello\"";
        }
    }

    public static class EnvelopeApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, Greetings.class, EnvelopeFilter.class,
                    EnvelopeInterceptor.class, EnvelopeWriter.class, GoneWhenRetired.class);
        }
    }

    /** The application's envelope: what the method returned, under "data". */
    public record Envelope(Object data) {
    }

    /** Wraps the entity of /filtered, as an API envelope filter does. */
    public static class EnvelopeFilter implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (response.hasEntity() && request.getUriInfo().getPath().endsWith("filtered")) {
                response.setEntity(new Envelope(response.getEntity()), response.getEntityAnnotations(),
                        response.getMediaType());
            }
        }
    }

    /** Answers a retired product's page 410 Gone, from what the method returned (a status-only filter). */
    public static class GoneWhenRetired implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (response.getEntity() instanceof String text && text.startsWith(RETIRED)) {
                response.setStatus(410);
            }
        }
    }

    /** The same envelope, put around the entity of /written as it is written. */
    public static class EnvelopeInterceptor implements WriterInterceptor {
        @Context
        private UriInfo uri;

        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            if (uri.getPath().endsWith("written")) {
                context.setEntity(new Envelope(context.getEntity()));
                context.setType(Envelope.class);
                context.setGenericType(Envelope.class);
            }
            context.proceed();
        }
    }

    /** Writes the envelope around the body the writer of the wrapped entity writes. */
    @Produces(MediaType.APPLICATION_JSON)
    public static class EnvelopeWriter implements MessageBodyWriter<Envelope> {
        @Context
        private Providers providers;

        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == Envelope.class;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void writeTo(Envelope envelope, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws IOException {
            out.write("{\"data\":".getBytes(StandardCharsets.UTF_8));
            Object data = envelope.data();
            MessageBodyWriter writer = providers.getMessageBodyWriter(data.getClass(), data.getClass(), annotations,
                    mediaType);
            writer.writeTo(data, data.getClass(), data.getClass(), annotations, mediaType, headers, out);
            out.write('}');
        }
    }
}
