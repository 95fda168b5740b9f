package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With a {@code staleIfErrorDeadline}, the servlet of an expired entry runs into a response in memory that starts as a
 * copy of the container's headers, and when the servlet takes its writer the container's response is reset and the
 * calls made again on it, the copied headers among them. Jetty puts its {@code Server} and {@code Date} fields in
 * every response before the servlet runs and keeps them through a reset: they were added a second time, and the miss
 * carried two {@code Date} fields (a field that has one value) and two {@code Server} fields. Tomcat adds both when it
 * commits, so it passed. The deadline (300 s) never passes here: the servlet itself answers.
 */
class DateAndServerSentTwiceWithTheDeadlineArmedTest {

    static final class Page extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("the page");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theArmedMissCarriesTheContainersFieldsOnce(Container container) {
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "300")
                .servlet("page", new Page(), "/page/*")
                .servlet("alone", new Page(), "/alone/*"))) {
            HttpResponse<String> alone = app.get("/alone/a");
            assertEquals("MISS", app.get("/page/a").headers().firstValue("X-Cache").orElseThrow());

            clock.advance(Duration.ofSeconds(70));
            HttpResponse<String> armed = app.get("/page/a");
            assertEquals("the page", armed.body(), "the servlet answered");
            assertEquals(1, armed.headers().allValues("Date").size(), "on " + container + ": " + armed.headers());
            assertEquals(alone.headers().allValues("Server").size(), armed.headers().allValues("Server").size(),
                    "on " + container + ": " + armed.headers());
        }
    }
}
