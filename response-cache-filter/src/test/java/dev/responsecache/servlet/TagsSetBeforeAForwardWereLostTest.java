package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A controller that names its response's tags in the tag header and forwards to its view (the header survives a
 * forward, which clears only the buffer): the capture dropped the tags at the forward's {@code resetBuffer}, so the
 * entry was stored untagged and evicting its tag left the old page to be served for the rest of its TTL.
 */
class TagsSetBeforeAForwardWereLostTest {

    static final class Controller extends HttpServlet {
        final AtomicReference<ServletContext> context = new AtomicReference<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            context.set(request.getServletContext());
            response.setHeader("X-Tags", "item:1");
            request.getRequestDispatcher("/view/item").forward(request, response);
        }
    }

    static final class View extends HttpServlet {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("view " + runs.incrementAndGet());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void entryOfAForwardingControllerIsEvictedByTheTagsItSet(Container container) {
        Controller controller = new Controller();
        try (Container.Running app = container.start(new ServletApp()
                .contextParam(ResponseCacheProperties.TAG_HEADER, "X-Tags")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .servlet("page", controller, "/page/*")
                .servlet("view", new View(), "/view/*"))) {
            assertEquals("view 1", app.get("/page/item").body(), container.toString());
            HttpResponse<String> hit = app.get("/page/item");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"), container.toString());
            assertEquals("none", hit.headers().firstValue("X-Tags").orElse("none"), container.toString());
            ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) controller.context.get()
                    .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
            assertEquals(1, invalidator.evictTags("item:1"), container + ": the entry was stored without its tags");
            assertEquals("view 2", app.get("/page/item").body(), container + ": the evicted page was served");
        }
    }
}
