package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A RESTEasy server-sent-events method ({@code SseEventSink}, {@code text/event-stream}) carrying
 * {@code @CacheResponse}: RESTEasy commits the stream's headers through the writers before any event (an empty entity
 * write), the cache stores the response at the end of that write, and the events that follow are not in the entry.
 *
 * <p>What the client gets: the first client gets {@code data: event 1}, every later one a HIT: {@code 200}
 * {@code text/event-stream} with {@code Content-Length: 0}, no event at all, and an ETag of the empty body. What it
 * should get: the events the method sends it ({@code data: event 2}); an event stream is never a stored response.
 */
class ResteasyServerSentEventsStoredEmptyTest {

    @Path("/")
    public static class EventsResource {
        static final AtomicInteger CALLS = new AtomicInteger();

        @GET
        @Path("events")
        @Produces(MediaType.SERVER_SENT_EVENTS)
        @CacheResponse(ttl = 60)
        public void events(@Context SseEventSink sink, @Context Sse sse) {
            int call = CALLS.incrementAndGet();
            sink.send(sse.newEvent("event " + call)).toCompletableFuture().join();
            sink.close();
        }
    }

    public static class EventsApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, EventsResource.class);
        }
    }

    @Test
    void laterSubscriberGetsTheEventsNotAnEmptyStoredStream() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(EventsApplication.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(app.base().resolve("/api/events"))
                    .timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals("data: event 1", first.body().strip());
            String cache = "X-Cache: " + second.headers().firstValue("X-Cache").orElse("none");
            assertEquals("data: event 2", second.body().strip(), cache);
        }
    }
}
