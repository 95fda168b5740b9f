package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The header-driven mode revalidated a stale entry with the cache's own {@code If-None-Match}, the servlet answered
 * 304, and the revalidated entry could not be written, not even alone: a response wrapper in front refuses one of its
 * stored lines as the cache sets it ({@code setHeader}; the servlet adds it). As a last resort the servlet's 304 to
 * the cache's conditions went out, to a client that had sent none: a 304 is no answer to an unconditional GET (RFC
 * 9110 15.4.5). The entry now goes out without the refused line, a full answer; the 304 only to a client whose own
 * conditions it answers.
 */
class RevalidatedAnswerWithARefusedStoredLineSentTheServlets304ToAnUnconditionalRequestTest {

    /** Answers its one version, every line added, and 304 to a request naming its tag. */
    static final class Validating extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.addHeader("Cache-Control", "max-age=60");
            response.addHeader("ETag", "\"v1\"");
            response.addHeader("X-Trace", "t1");
            if ("\"v1\"".equals(request.getHeader("If-None-Match"))) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return;
            }
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("body 1");
        }
    }

    /** Refuses {@code X-Trace} when set rather than added. */
    public static final class AddedTraceFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, new HttpServletResponseWrapper((HttpServletResponse) response) {
                @Override
                public void setHeader(String name, String value) {
                    if ("X-Trace".equalsIgnoreCase(name)) {
                        throw new IllegalArgumentException("X-Trace is only ever added");
                    }
                    super.setHeader(name, value);
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void unconditionalRequestGetsTheRevalidatedEntryWithoutTheRefusedLine(Container container) {
        MutableClock clock = new MutableClock();
        Validating servlet = new Validating();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("no-age", new LineRefusingFilter("Age"), "/r/*")
                .filter("added-trace", new AddedTraceFilter(), "/r/*")
                .filter("cache", new ResponseCacheFilter(), "/r/*", "ttl", "headers")
                .servlet("validating", servlet, "/r/*"))) {
            HttpResponse<String> miss = app.get("/r/a");
            assertEquals("body 1", miss.body(), container.toString());
            assertEquals("t1", miss.headers().firstValue("X-Trace").orElse(null), container.toString());
            clock.advance(Duration.ofSeconds(61));

            HttpResponse<String> revalidated = app.get("/r/a");
            assertEquals(200, revalidated.statusCode(), container + ": " + revalidated.headers().map());
            assertEquals("body 1", revalidated.body(), container.toString());
            assertEquals("\"v1\"", revalidated.headers().firstValue("ETag").orElse(null), container.toString());
            assertTrue(revalidated.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    container + ": " + revalidated.headers().map());
            assertEquals(2, servlet.calls.get(), container + ": the servlet ran again");

            clock.advance(Duration.ofSeconds(61));
            HttpResponse<String> conditional = app.get("/r/a", "If-None-Match", "\"v1\"");
            assertEquals(304, conditional.statusCode(), container + ": " + conditional.headers().map());
            assertEquals(3, servlet.calls.get(), container.toString());
        }
    }
}
