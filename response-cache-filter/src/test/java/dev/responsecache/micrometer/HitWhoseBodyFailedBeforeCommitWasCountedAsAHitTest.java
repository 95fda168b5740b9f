package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A hit whose lines were written but whose body a response wrapper in front refused, before anything was committed:
 * the request went on uncached (the application answered it), yet the hit had been counted before its body was
 * written, so {@code responsecache.requests} said {@code hit} for a request the cache did not answer, and the
 * {@code bypass} it became ({@code reason=error}) was never counted. A hit is now counted just before the last byte
 * of its body, which may complete the response, after every byte that may still fail.
 */
class HitWhoseBodyFailedBeforeCommitWasCountedAsAHitTest {

    private static double requests(MeterRegistry registry, String outcome, String reason) {
        Counter counter = registry.find(MicrometerEvents.REQUESTS)
                .tags("route", "cache", "outcome", outcome, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Its wrapper refuses a body written after an {@code Age} line: a hit's, never the application's. */
    static final class HitBodyRefusingFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletResponse container = (HttpServletResponse) response;
            chain.doFilter(request, new HttpServletResponseWrapper(container) {
                private boolean aged;

                @Override
                public void setHeader(String name, String value) {
                    aged |= "Age".equalsIgnoreCase(name);
                    super.setHeader(name, value);
                }

                @Override
                public void addHeader(String name, String value) {
                    aged |= "Age".equalsIgnoreCase(name);
                    super.addHeader(name, value);
                }

                @Override
                public void reset() {
                    aged = false;
                    super.reset();
                }

                @Override
                public ServletOutputStream getOutputStream() throws IOException {
                    ServletOutputStream out = super.getOutputStream();
                    return new ServletOutputStream() {
                        @Override
                        public void write(int b) throws IOException {
                            refuseAged();
                            out.write(b);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            refuseAged();
                            out.write(b, off, len);
                        }

                        @Override
                        public boolean isReady() {
                            return out.isReady();
                        }

                        @Override
                        public void setWriteListener(WriteListener listener) {
                            out.setWriteListener(listener);
                        }
                    };
                }

                private void refuseAged() {
                    if (aged) {
                        throw new IllegalStateException("no body after an Age line here");
                    }
                }
            });
        }
    }

    static final class CountedPage extends HttpServlet {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write(("page " + runs.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void hitWhoseBodyCannotBeWrittenIsCountedAsABypass(Container container) {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .filter("no-hit-body", new HitBodyRefusingFilter(), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .servlet("page", new CountedPage(), "/page/*"))) {
            for (int i = 1; i <= 3; i++) {
                assertEquals("page " + i, app.get("/page/a").body(), container.toString());
            }
            assertEquals(1, requests(registry, "miss", "uri-miss"), container.toString());
            assertEquals(0, requests(registry, "hit", "fresh"), container + ": counted as served from the cache");
            assertEquals(2, requests(registry, "bypass", "error"), container.toString());
        }
    }
}
