package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An asynchronous servlet ({@code startAsync}) whose body grows past {@code max-body-size} without a declared length.
 * Its body streams to the container as it is written (its completion cannot wait for a store), so the copy was
 * dropped as it went past the limit and nothing more was said: {@code Cache-Status} showed {@code fwd=uri-miss} alone,
 * like a stored response, and {@code responsecache.refusals} never counted it. A synchronous servlet's body, held,
 * says {@code detail=too-large} and is counted ({@link StreamedResponseOverTheBodyLimitGaveNoRefusalInCacheStatusTest}).
 * Now the reason is shown as the body passes the limit while the container has not sent the header lines (its buffer
 * still holds what went before), whichever thread writes; once they are sent (a flush, a body past the container's
 * buffer before the limit) it is counted alone. Through the stream and the writer; real Jetty and Tomcat.
 */
class AsynchronousBodyPastTheLimitWasNeitherShownNorCountedAsRefusedTest {

    /** Past the 1 KB limit and within both containers' buffers (Tomcat's 8 KB, Jetty's 32 KB). */
    private static final int BODY = 2000;
    /** Past both containers' buffers before the 64 KB limit too. */
    private static final int BEYOND_THE_BUFFERS = 100_000;

    /**
     * {@code /<stream|writer>/<thread|request>[/flushed|/long]}: after {@code startAsync}, writes {@value #BODY} bytes
     * in small writes through the stream or the writer, from a thread of its own or the request's, then completes;
     * {@code flushed} flushes the response after the first write, {@code long} writes {@value #BEYOND_THE_BUFFERS}.
     */
    public static final class AsyncBodyServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            String[] path = request.getPathInfo().substring(1).split("/");
            AsyncContext async = request.startAsync();
            Runnable answer = () -> {
                try {
                    write((HttpServletResponse) async.getResponse(), path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            };
            if ("thread".equals(path[1])) {
                new Thread(answer, "async-body-writer").start();
            } else {
                answer.run();
            }
        }

        private static void write(HttpServletResponse response, String[] path) throws IOException {
            boolean flushed = path.length > 2 && "flushed".equals(path[2]);
            int length = path.length > 2 && "long".equals(path[2]) ? BEYOND_THE_BUFFERS : BODY;
            response.setContentType("text/plain");
            char[] chunk = new char[100];
            Arrays.fill(chunk, 'x');
            byte[] bytes = new String(chunk).getBytes(StandardCharsets.US_ASCII);
            for (int written = 0; written < length; written += chunk.length) {
                if ("writer".equals(path[0])) {
                    response.getWriter().write(chunk);
                } else {
                    response.getOutputStream().write(bytes);
                }
                if (flushed && written == 0) {
                    response.flushBuffer();
                }
            }
        }
    }

    private static Container.Running start(Container container, MeterRegistry registry, String limit) {
        return container.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, limit)
                .filter("cache", new ResponseCacheFilter(), "/big/*", "ttl", "60")
                .servlet("big", new AsyncBodyServlet(), "/big/*"));
    }

    private static Map<String, Double> refusals(MeterRegistry registry) {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : registry.find("responsecache.refusals").counters()) {
            counts.merge(counter.getId().getTag("reason"), counter.count(), Double::sum);
        }
        return counts;
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void bodyPastTheLimitBeforeTheHeadersWentOutSaysTooLarge(Container container) {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Container.Running app = start(container, registry, "1KB")) {
            for (String path : new String[] {"/big/stream/thread", "/big/stream/request", "/big/writer/thread",
                    "/big/writer/request"}) {
                assertRefused(app, registry, path, BODY, "ResponseCache; fwd=uri-miss; detail=too-large");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void bodyPastTheLimitAfterTheHeadersWentOutIsCountedOnce(Container container) {
        MeterRegistry flushing = new SimpleMeterRegistry();
        try (Container.Running app = start(container, flushing, "1KB")) {
            for (String path : new String[] {"/big/stream/thread/flushed", "/big/writer/request/flushed"}) {
                assertRefused(app, flushing, path, BODY, "ResponseCache; fwd=uri-miss");
            }
        }
        MeterRegistry pastTheBuffers = new SimpleMeterRegistry();
        try (Container.Running app = start(container, pastTheBuffers, "64KB")) {
            for (String path : new String[] {"/big/stream/request/long", "/big/writer/thread/long"}) {
                assertRefused(app, pastTheBuffers, path, BEYOND_THE_BUFFERS, "ResponseCache; fwd=uri-miss");
            }
        }
    }

    /**
     * The whole body, with {@code cacheStatus} (the header lines the client got), counted once as {@code too-large},
     * and not stored. The count is made as the body passes the limit, before the asynchronous cycle completes.
     */
    private static void assertRefused(Container.Running app, MeterRegistry registry, String path, int length,
                                      String cacheStatus) {
        String where = app.container() + " " + path;
        double before = refusals(registry).getOrDefault("too-large", 0.0);
        HttpResponse<String> response = app.get(path);
        assertEquals(length, response.body().length(), where + ": the whole body");
        assertEquals(cacheStatus, response.headers().firstValue("Cache-Status").orElse("none"), where);
        assertEquals(Map.of("too-large", before + 1), refusals(registry), where + ": counted once");
        HttpResponse<String> again = app.get(path);
        assertEquals("MISS", again.headers().firstValue("X-Cache").orElse("none"), where + ": not stored");
        assertEquals(Map.of("too-large", before + 2), refusals(registry), where + ": each counted once");
    }
}
