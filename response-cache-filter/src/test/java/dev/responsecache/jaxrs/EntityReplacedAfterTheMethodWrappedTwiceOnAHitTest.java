package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application response filter or writer interceptor that replaces the entity (an API envelope around whatever the
 * method returned) runs on a hit too, as every filter and interceptor does: the stored body, written after the
 * envelope wrapped the method's entity, was wrapped a second time, so every hit answered
 * {@code {"data":{"data":"hello"}}}. Such a response is not stored.
 */
class EntityReplacedAfterTheMethodWrappedTwiceOnAHitTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(Greeting.class).register(Written.class).register(EnvelopeFilter.class)
                .register(EnvelopeWriter.class).register(EnvelopeInterceptor.class).register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aResponseFilterReplacingTheEntityIsAnsweredOnceWrapped() {
        HttpResponse<String> first = server.getText("/api/greeting");
        assertEquals("{\"data\":\"hello\"}", first.body());
        assertTrue(first.headers().firstValue("Cache-Status").orElse("").endsWith("detail=entity-replaced"),
                first.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<String> second = server.getText("/api/greeting");
        assertEquals("{\"data\":\"hello\"}", second.body(),
                "X-Cache: " + second.headers().firstValue("X-Cache").orElse("none"));
    }

    @Test
    void aWriterInterceptorReplacingTheEntityIsAnsweredOnceWrapped() {
        assertEquals("{\"data\":\"hello\"}", server.getText("/api/written").body());
        HttpResponse<String> second = server.getText("/api/written");
        assertEquals("{\"data\":\"hello\"}", second.body(),
                "X-Cache: " + second.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("greeting")
    public static class Greeting {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String greet() {
            return "\"hello\"";
        }
    }

    @Path("written")
    public static class Written {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String greet() {
            return "\"hello\"";
        }
    }

    /** The application's envelope: what the method returned, under "data". */
    public record Envelope(Object data) {
    }

    /** Wraps every entity of the application, as an API envelope filter does. */
    public static class EnvelopeFilter implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (response.hasEntity() && request.getUriInfo().getPath().endsWith("greeting")) {
                response.setEntity(new Envelope(response.getEntity()), response.getEntityAnnotations(),
                        response.getMediaType());
            }
        }
    }

    /** The same envelope, put around the entity as it is written. */
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
                throws IOException, WebApplicationException {
            out.write("{\"data\":".getBytes(StandardCharsets.UTF_8));
            Object data = envelope.data();
            MessageBodyWriter writer = providers.getMessageBodyWriter(data.getClass(), data.getClass(), annotations,
                    mediaType);
            writer.writeTo(data, data.getClass(), data.getClass(), annotations, mediaType, headers, out);
            out.write('}');
        }
    }
}
