package dev.responsecache.contract;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * An entity whose message body writer sets the response's lifetime in {@code writeTo}, before the first byte (JAX-RS
 * hands the writer the header map for that): {@code Cache-Control: max-age=60}, or none for a feed named
 * {@code none}.
 */
public record WrittenLifetime(String name, int call) {

    /** The writer: registered by class, public, as RESTEasy constructs providers. */
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Writer implements MessageBodyWriter<WrittenLifetime> {
        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == WrittenLifetime.class;
        }

        @Override
        public void writeTo(WrittenLifetime feed, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws IOException {
            if (!feed.name().equals("none")) {
                headers.putSingle("Cache-Control", "max-age=60");
            }
            out.write((feed.name() + " " + feed.call()).getBytes(StandardCharsets.UTF_8));
        }
    }
}
