package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code setHeader(name, null)} removes the header on Jetty and is ignored on Tomcat, which returns from
 * {@code setHeader} on a null value before looking at the name (a {@code Content-Type} set by name included). A
 * stale-while-revalidate refresh runs the servlet into the cache's detached response, which removed the header on
 * both: on Tomcat the refreshed entry lost the {@code X-Region: eu} (and the type) every miss sends.
 */
class HeaderSetToNullLostFromTheRefreshedEntryOnTomcatTest {

    static final class RegionPage extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setHeader("X-Region", "eu");
            response.setHeader("Content-Type", "text/csv");
            response.setHeader("X-Region", null);
            response.setHeader("Content-Type", null);
            response.getOutputStream().write("region".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshedEntryKeepsWhatTheContainerKeepsOfANullSetHeader(Container container) {
        MutableClock clock = new MutableClock();
        RegionPage cached = new RegionPage();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("cached", cached, "/cached/*")
                .servlet("alone", new RegionPage(), "/alone/*"))) {
            HttpResponse<String> alone = app.get("/alone/page");
            List<String> region = alone.headers().allValues("X-Region");
            List<String> type = alone.headers().allValues("Content-Type");
            assertEquals(container == Container.TOMCAT ? List.of("eu") : List.of(), region);
            HttpResponse<String> miss = app.get("/cached/page");
            assertEquals(region, miss.headers().allValues("X-Region"));
            assertEquals(type, miss.headers().allValues("Content-Type"));

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.get("/cached/page").headers().firstValue("X-Cache").orElse(""));
            Eventually.until(() -> cached.calls.get() == 2
                            && "0".equals(app.get("/cached/page").headers().firstValue("Age").orElse("")),
                    Duration.ofSeconds(30), () -> "the refreshed entry was never stored");
            HttpResponse<String> refreshed = app.get("/cached/page");
            assertEquals(region, refreshed.headers().allValues("X-Region"), "the refreshed entry on " + container);
            assertEquals(type, refreshed.headers().allValues("Content-Type"), "the refreshed entry on " + container);
            assertEquals("region", refreshed.body());
        }
    }
}
