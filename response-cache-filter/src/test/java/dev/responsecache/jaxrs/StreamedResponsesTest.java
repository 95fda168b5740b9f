package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.lang.reflect.Method;
import java.util.List;

import org.glassfish.jersey.server.ChunkedOutput;
import org.junit.jupiter.api.Test;

/**
 * Which methods answer with a stream, as their declarations tell at start-up: those are not cached. (Jersey writes
 * the {@code SseEventSink} of such a method as a {@code ChunkedOutput}, RESTEasy commits its headers before the
 * first event: {@code ResteasyServerSentEventsStoredEmptyTest}; a RESTEasy {@code @Stream} method:
 * {@code ResteasyStreamsAreNeverStoredTest}.)
 */
class StreamedResponsesTest {

    /** Declarations only: never invoked. */
    abstract static class Declared {
        abstract void sink(SseEventSink sink, Sse sse);

        abstract ChunkedOutput<String> chunks();

        abstract ChunkedSubtype subtype();

        abstract String text();
    }

    /** Like Jersey's {@code EventOutput}. */
    static final class ChunkedSubtype extends ChunkedOutput<String> {
        ChunkedSubtype() {
            super(String.class);
        }
    }

    private static Method method(String name) {
        for (Method method : Declared.class.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return method;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void streamsAreToldByTheirDeclarations() {
        List<MediaType> text = List.of(MediaType.TEXT_PLAIN_TYPE);
        assertEquals("it takes an SseEventSink", StreamedResponses.streamedBy(method("sink"), text));
        assertEquals("it returns a ChunkedOutput", StreamedResponses.streamedBy(method("chunks"), text));
        assertEquals("it returns a ChunkedOutput", StreamedResponses.streamedBy(method("subtype"), text));
        assertEquals("it produces text/event-stream", StreamedResponses.streamedBy(method("text"),
                List.of(MediaType.SERVER_SENT_EVENTS_TYPE)));
    }

    @Test
    void aMethodThatMayAnswerWithAWholeBodyIsCached() {
        assertNull(StreamedResponses.streamedBy(method("text"), List.of()));
        // Negotiated: the event stream, when chosen, is refused as the response goes out (detail=stream).
        assertNull(StreamedResponses.streamedBy(method("text"),
                List.of(MediaType.APPLICATION_JSON_TYPE, MediaType.SERVER_SENT_EVENTS_TYPE)));
        assertEquals(false, StreamedResponses.isChunkedOutput("text"));
        assertEquals(false, StreamedResponses.isChunkedOutput(null));
        assertEquals(true, StreamedResponses.isChunkedOutput(new ChunkedSubtype()));
    }
}
