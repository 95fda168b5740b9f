package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The header-driven mode revalidated a stale entry through the chain with the cache's own {@code If-None-Match}, the
 * servlet answered 304, and writing the revalidated entry failed in the middle of its lines (a response wrapper in
 * front refuses {@code Age}): the fault reached the container, a 500 where the servlet alone, asked without the
 * cache's conditions, answers 200 with that very body. The servlet is not run a second time: the entry the 304
 * validated now goes out as its own response, without the cache's fields.
 */
class RevalidatedAnswerThatCouldNotBeWrittenBecameA500Test {

    /**
     * Answers its one version, with a validator, and 304 to a request naming it; or, while {@code otherTag}, a 304
     * about another representation to any conditional request.
     */
    static final class Validating extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean otherTag;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setHeader("Cache-Control", "max-age=60");
            if (otherTag && request.getHeader("If-None-Match") != null) {
                response.setHeader("ETag", "\"v2\"");
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return;
            }
            response.setHeader("ETag", "\"v1\"");
            if ("\"v1\"".equals(request.getHeader("If-None-Match"))) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return;
            }
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("body 1");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void revalidatedEntryGoesOutAsTheServletsOwnAnswer(Container container) {
        MutableClock clock = new MutableClock();
        Validating servlet = new Validating();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("no-age", new LineRefusingFilter("Age"), "/r/*")
                .filter("cache", new ResponseCacheFilter(), "/r/*", "ttl", "headers")
                .servlet("validating", servlet, "/r/*"))) {
            assertEquals("body 1", app.get("/r/a").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));

            HttpResponse<String> revalidated = app.get("/r/a");
            assertEquals(200, revalidated.statusCode(), container + ": " + revalidated.body());
            assertEquals("body 1", revalidated.body(), container.toString());
            assertEquals("\"v1\"", revalidated.headers().firstValue("ETag").orElse(null), container.toString());
            assertTrue(revalidated.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    container + ": " + revalidated.headers().map());
            assertEquals(2, servlet.calls.get(), container + ": the servlet ran again");
        }
    }

    /**
     * A 304 that names another representation validates nothing, and the cache answers the stale entry it holds (as it
     * does when it can write its fields). When those could not be written, the servlet's 304 to the cache's own
     * conditions went to a client that had sent none: a 304 with no body to an unconditional GET, which a client with
     * no copy cannot use (RFC 9110 15.4.5). The stale entry goes out alone instead, as the validated one does.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void notModifiedAboutAnotherRepresentationNeverGoesToAClientThatSentNoConditions(Container container) {
        MutableClock clock = new MutableClock();
        Validating servlet = new Validating();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("no-age", new LineRefusingFilter("Age"), "/r/*")
                .filter("cache", new ResponseCacheFilter(), "/r/*", "ttl", "headers")
                .servlet("validating", servlet, "/r/*"))) {
            assertEquals("body 1", app.get("/r/a").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));
            servlet.otherTag = true;

            HttpResponse<String> answer = app.get("/r/a");
            assertEquals(200, answer.statusCode(), container + ": " + answer.headers().map());
            assertEquals("body 1", answer.body(), container.toString());
            assertEquals("\"v1\"", answer.headers().firstValue("ETag").orElse(null), container.toString());
            assertEquals(2, servlet.calls.get(), container + ": the servlet ran again");
        }
    }
}
