package dev.responsecache.jaxrs;

import jakarta.ws.rs.core.MediaType;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Responses the runtime writes as a stream after the method returned, piece by piece through the writers, each piece
 * a write of its own: Jersey's {@code ChunkedOutput} (and {@code EventOutput}, and the {@code SseEventSink} Jersey
 * writes as one), RESTEasy's {@code SseEventSink} (whose headers go out, without an entity, before the first event)
 * and its {@code @Stream} methods (every element its own response through the filters). The cache sees a first write
 * that is not the body, empty or one element, and would store it as the whole response. Such a response is never
 * stored: a method known at start-up to stream is not cached at all (with a warning), and a stream found on a miss
 * ({@link #isChunkedOutput}, a {@code text/event-stream} type: the core's {@code stream} refusal) is not stored.
 *
 * <p>The runtimes' types are recognised by name: neither runtime need be present.
 */
final class StreamedResponses {

    private static final String CHUNKED_OUTPUT = "org.glassfish.jersey.server.ChunkedOutput";
    private static final String RESTEASY_STREAM = "org.jboss.resteasy.annotations.Stream";
    private static final String SSE_EVENT_SINK = "jakarta.ws.rs.sse.SseEventSink";

    private StreamedResponses() {
    }

    /**
     * Why {@code method} answers with a stream, as told by its declarations, or null when it may answer with a whole
     * body: it takes an {@code SseEventSink}, returns a {@code ChunkedOutput}, carries RESTEasy's {@code @Stream}, or
     * produces {@code text/event-stream} alone.
     *
     * @param produced the types the method produces, as the runtime reads them
     */
    static String streamedBy(Method method, List<MediaType> produced) {
        for (Class<?> parameter : method.getParameterTypes()) {
            if (SSE_EVENT_SINK.equals(parameter.getName())) {
                return "it takes an SseEventSink";
            }
        }
        if (extendsChunkedOutput(method.getReturnType())) {
            return "it returns a ChunkedOutput";
        }
        if (annotated(method.getAnnotations(), RESTEASY_STREAM)
                || annotated(JaxrsAnnotatedMethod.of(method).getAnnotations(), RESTEASY_STREAM)) {
            return "it is a RESTEasy @Stream method";
        }
        if (!produced.isEmpty() && produced.stream().allMatch(StreamedResponses::eventStream)) {
            return "it produces text/event-stream";
        }
        return null;
    }

    private static boolean annotated(Annotation[] annotations, String name) {
        for (Annotation annotation : annotations) {
            if (name.equals(annotation.annotationType().getName())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the entity of a response is a Jersey {@code ChunkedOutput}, written chunk by chunk after the headers. */
    static boolean isChunkedOutput(Object entity) {
        return entity != null && extendsChunkedOutput(entity.getClass());
    }

    private static boolean extendsChunkedOutput(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (CHUNKED_OUTPUT.equals(c.getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean eventStream(MediaType type) {
        return "text".equalsIgnoreCase(type.getType()) && "event-stream".equalsIgnoreCase(type.getSubtype());
    }
}
