package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that names its language the servlet way, {@code response.setLocale(Locale.GERMANY)}: the container sends
 * {@code Content-Language: de-DE}. Tomcat keeps the locale apart from its header list (as it keeps the content type),
 * so {@code getHeaderNames()} does not list it, and the servlet filter, which reads the stored headers back from that
 * list (adding only {@code Content-Type} beside it), stores the entry without it.
 *
 * <p>What the client gets on Tomcat: the miss says {@code Content-Language: de-DE}, every hit says no
 * {@code Content-Language} at all. What it should get: {@code Content-Language: de-DE} on the hit too, as without the
 * cache (docs/GUARANTEES.md: "a hit replays ... every stored header"). Jetty lists it and passes.
 */
class ContentLanguageFromSetLocaleLostOnHitTest {

    static final class GermanPage extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.setLocale(Locale.GERMANY);
            response.getWriter().write("Guten Tag");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void contentLanguageSetThroughSetLocaleIsReplayedOnAHit(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .servlet("page", new GermanPage(), "/page/*"))) {
            HttpResponse<String> miss = app.get("/page/greeting");
            assertEquals(List.of("de-DE"), miss.headers().allValues("Content-Language"));

            HttpResponse<String> hit = app.get("/page/greeting");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals("Guten Tag", hit.body());
            assertEquals(List.of("de-DE"), hit.headers().allValues("Content-Language"),
                    "the language the miss was sent with, on " + container);
        }
    }
}
