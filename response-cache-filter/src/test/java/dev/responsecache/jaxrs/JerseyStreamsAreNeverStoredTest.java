package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ChunkedOutput;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * Jersey writes a {@code ChunkedOutput} (and {@code EventOutput}, and the {@code SseEventSink} of a server-sent events
 * method, which it writes as one: {@code StreamedResponsesTest}) piece by piece after the response's own empty write: whatever the cache kept of it
 * would be an empty or partial body. Such responses are never stored, whether the method declares the stream (not
 * cached at all, with a start-up warning) or hands it over only at run time (in a {@code Response}, or resuming an
 * {@code AsyncResponse} with it). A response completed later with a whole entity ({@code AsyncResponse},
 * {@code CompletionStage}) is stored whole.
 */
class JerseyStreamsAreNeverStoredTest {

    @Path("/")
    public static class Streams {
        final AtomicInteger calls = new AtomicInteger();

        /** Server-sent events as Jersey's EventOutput writes them: a ChunkedOutput of text/event-stream. */
        @GET
        @Path("events")
        @Produces({MediaType.TEXT_PLAIN, MediaType.SERVER_SENT_EVENTS})
        @CacheResponse(ttl = 60)
        public Response events() throws IOException {
            ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
            output.write("data: event " + calls.incrementAndGet() + "\n\n");
            output.close();
            return Response.ok(output).build();
        }

        @GET
        @Path("chunks-in-response")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Response chunksInResponse() throws IOException {
            return Response.ok(chunks(calls.incrementAndGet())).build();
        }

        @GET
        @Path("chunks-resumed")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public void chunksResumed(@Suspended AsyncResponse response) {
            int call = calls.incrementAndGet();
            CompletableFuture.runAsync(() -> {
                try {
                    response.resume(chunks(call));
                } catch (IOException e) {
                    response.resume(e);
                }
            });
        }

        @GET
        @Path("resumed")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public void resumed(@Suspended AsyncResponse response) {
            int call = calls.incrementAndGet();
            CompletableFuture.runAsync(() -> response.resume("resumed " + call));
        }

        @GET
        @Path("stage")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public CompletionStage<String> stage() {
            int call = calls.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> "stage " + call);
        }

        private static ChunkedOutput<String> chunks(int call) throws IOException {
            ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
            // Queued until Jersey has written the response, then sent in order.
            output.write("first " + call + ";");
            output.write("second " + call + ";");
            output.close();
            return output;
        }
    }

    private static TestServer server() {
        return TestServer.jersey(new ResourceConfig().register(new Streams()).register(ResponseCacheFeature.class));
    }

    @Test
    void serverSentEventsInAResponseAreNotStored() {
        try (TestServer server = server().start()) {
            HttpResponse<String> first = server.getText("/api/events", "Accept", MediaType.SERVER_SENT_EVENTS);
            assertEquals("data: event 1", first.body().strip());
            assertEquals("ResponseCache; fwd=uri-miss; detail=stream",
                    first.headers().firstValue("Cache-Status").orElseThrow());
            HttpResponse<String> second = server.getText("/api/events", "Accept", MediaType.SERVER_SENT_EVENTS);
            assertEquals("data: event 2", second.body().strip());
            assertEquals("MISS", second.headers().firstValue("X-Cache").orElseThrow());
        }
    }

    @Test
    void chunkedOutputInAResponseIsNotStored() {
        try (TestServer server = server().start()) {
            HttpResponse<String> first = server.getText("/api/chunks-in-response");
            assertEquals("first 1;second 1;", first.body());
            assertEquals("ResponseCache; fwd=uri-miss; detail=stream",
                    first.headers().firstValue("Cache-Status").orElseThrow());
            HttpResponse<String> second = server.getText("/api/chunks-in-response");
            assertEquals("first 2;second 2;", second.body(), "X-Cache: "
                    + second.headers().firstValue("X-Cache").orElse("none"));
        }
    }

    @Test
    void asyncResponseResumedWithAChunkedOutputIsNotStored() {
        try (TestServer server = server().start()) {
            assertEquals("first 1;second 1;", server.getText("/api/chunks-resumed").body());
            HttpResponse<String> second = server.getText("/api/chunks-resumed");
            assertEquals("first 2;second 2;", second.body(), "X-Cache: "
                    + second.headers().firstValue("X-Cache").orElse("none"));
        }
    }

    @Test
    void responsesCompletedLaterWithAWholeEntityAreStoredWhole() {
        try (TestServer server = server().start()) {
            assertEquals("resumed 1", server.getText("/api/resumed").body());
            HttpResponse<String> resumed = server.getText("/api/resumed");
            assertEquals("HIT", resumed.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("resumed 1", resumed.body());

            assertEquals("stage 2", server.getText("/api/stage").body());
            HttpResponse<String> stage = server.getText("/api/stage");
            assertEquals("HIT", stage.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("stage 2", stage.body());
        }
    }
}
