package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.resteasy.annotations.Stream;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * RESTEasy's streamed responses: a {@code @Stream(RAW)} method's publisher is written element by element, each
 * element a response of its own through the filters and writers, so the cache would store the first element as the
 * whole body (and the next ones over it). Such a method is not cached (a start-up warning says so). A publisher
 * without {@code @Stream}, which RESTEasy collects into one list, and a {@code CompletionStage} are whole responses,
 * stored whole.
 */
class ResteasyStreamsAreNeverStoredTest {

    @Path("/")
    public static class StreamsResource {
        static final AtomicInteger CALLS = new AtomicInteger();

        @GET
        @Path("raw")
        @Produces(MediaType.TEXT_PLAIN)
        @Stream(Stream.MODE.RAW)
        @CacheResponse(ttl = 60)
        public Publisher<String> raw() {
            int call = CALLS.incrementAndGet();
            return new Items(List.of("first " + call + ";", "second " + call + ";"));
        }

        @GET
        @Path("collected")
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public Publisher<String> collected() {
            int call = CALLS.incrementAndGet();
            return new Items(List.of("first " + call, "second " + call));
        }

        @GET
        @Path("stage")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public CompletionStage<String> stage() {
            int call = CALLS.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> "stage " + call);
        }
    }

    /** A publisher of a few items, each sent when requested. */
    static final class Items implements Publisher<String> {
        private final List<String> items;

        Items(List<String> items) {
            this.items = items;
        }

        @Override
        public void subscribe(Subscriber<? super String> subscriber) {
            subscriber.onSubscribe(new Subscription() {
                private int next;
                private boolean done;

                @Override
                public synchronized void request(long n) {
                    for (long i = 0; i < n && next < items.size(); i++) {
                        subscriber.onNext(items.get(next++));
                    }
                    if (next == items.size() && !done) {
                        done = true;
                        subscriber.onComplete();
                    }
                }

                @Override
                public synchronized void cancel() {
                    done = true;
                    next = items.size();
                }
            });
        }
    }

    /**
     * Writes the list RESTEasy collects a publisher into (no JSON provider is on the classpath): without a writer,
     * RESTEasy answers 500 with its own message, which is no whole response of the method to store.
     */
    @Produces(MediaType.APPLICATION_JSON)
    public static class CollectedItemsWriter implements MessageBodyWriter<List<?>> {
        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return List.class.isAssignableFrom(type);
        }

        @Override
        public void writeTo(List<?> items, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws IOException {
            out.write(items.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    public static class StreamsApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, StreamsResource.class, CollectedItemsWriter.class);
        }
    }

    @Test
    void rawStreamIsNotStoredAsItsFirstElement() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(StreamsApplication.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest raw = HttpRequest.newBuilder(app.base().resolve("/api/raw")).timeout(Duration.ofSeconds(30))
                    .build();
            HttpResponse<String> first = client.send(raw, HttpResponse.BodyHandlers.ofString());
            int call = StreamsResource.CALLS.get();
            assertEquals("first " + call + ";second " + call + ";", first.body());
            HttpResponse<String> second = client.send(raw, HttpResponse.BodyHandlers.ofString());
            assertEquals("first " + (call + 1) + ";second " + (call + 1) + ";", second.body(),
                    "X-Cache: " + second.headers().firstValue("X-Cache").orElse("none"));

            for (String path : List.of("/api/collected", "/api/stage")) {
                HttpRequest whole = HttpRequest.newBuilder(app.base().resolve(path))
                        .timeout(Duration.ofSeconds(30)).build();
                HttpResponse<String> miss = client.send(whole, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, miss.statusCode(), path + ": " + miss.body());
                HttpResponse<String> hit = client.send(whole, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, hit.statusCode(), path);
                assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"), path);
                assertEquals(miss.body(), hit.body(), path);
            }
        }
    }
}
