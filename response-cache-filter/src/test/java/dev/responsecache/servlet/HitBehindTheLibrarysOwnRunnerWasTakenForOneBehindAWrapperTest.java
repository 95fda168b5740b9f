package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Container;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A hit's body goes to the container's own response in one write; only behind a response wrapper in front, which may
 * refuse it with nothing committed, is it split to be counted before its last byte. The runner the initializer puts
 * in front of every GET wraps the response in the library's own {@link ErrorReplacingResponse}, which refuses no
 * body: taken for a wrapper in front, every hit of a web application the initializer ran in paid the split.
 */
class HitBehindTheLibrarysOwnRunnerWasTakenForOneBehindAWrapperTest {

    /** What the cache filter behind it is given, as its body decision reads it. */
    static final class Probe implements Filter {
        final List<Boolean> mayRefuse = new ArrayList<>();

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            synchronized (mayRefuse) {
                mayRefuse.add(ResponseCacheFilter.mayRefuseABody(response));
            }
            chain.doFilter(request, response);
        }
    }

    static final class Wrapping implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, new HttpServletResponseWrapper((HttpServletResponse) response));
        }
    }

    static final class Page extends HttpServlet {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write(("page " + runs.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theRunnersOwnWrapperRefusesNoBody(Container container) {
        Probe probe = new Probe();
        Page page = new Page();
        try (Container.Running app = container.start(new ServletApp()
                .initializer(new ResponseCacheInitializer())
                .filter("probe", probe, "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .servlet("page", page, "/page/*"))) {
            assertEquals("page 1", app.get("/page/a").body(), container.toString());
            assertEquals("page 1", app.get("/page/a").body(), container + ": a hit");
            assertEquals(1, page.runs.get(), container.toString());
            assertEquals(List.of(false, false), probe.mayRefuse, container + ": the runner's wrapper alone in front");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aWrapperInFrontOfTheRunnersMayStillRefuseABody(Container container) {
        Probe probe = new Probe();
        try (Container.Running app = container.start(new ServletApp()
                .initializer(new ResponseCacheInitializer())
                .filter("wrapping", new Wrapping(), "/page/*")
                .filter("probe", probe, "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .servlet("page", new Page(), "/page/*"))) {
            assertEquals("page 1", app.get("/page/a").body(), container.toString());
            assertEquals("page 1", app.get("/page/a").body(), container + ": a hit");
            assertFalse(probe.mayRefuse.isEmpty(), container.toString());
            assertTrue(probe.mayRefuse.stream().allMatch(Boolean::booleanValue), container + ": " + probe.mayRefuse);
        }
    }
}
