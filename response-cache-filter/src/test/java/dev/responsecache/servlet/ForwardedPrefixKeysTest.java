package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ForwardedPrefixFilter;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A filter behind the cache that honours {@code X-Forwarded-Prefix} (Spring's {@code ForwardedHeaderFilter}) makes
 * the servlet build its links with the prefix the proxy routed the client through, while the URL and {@code Host}
 * the cache sees are the same for every prefix: the prefix keys the entry.
 */
class ForwardedPrefixKeysTest {

    /** A page linking to itself through the context path, as an application builds its links. */
    private static final class LinkingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/html");
            response.getWriter().print("<a href=\"" + request.getContextPath() + "/items/1\">item</a>");
        }
    }

    private static String described(HttpResponse<String> response) {
        return response.body() + " (X-Cache: " + response.headers().firstValue("X-Cache").orElse("none") + ")";
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void clientsThroughDifferentForwardedPrefixesNeverGetEachOthersLinks(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/*", "ttl", "600")
                .filter("forwarded", new ForwardedPrefixFilter(), "/*")
                .servlet("items", new LinkingServlet(), "/items/*"))) {
            assertEquals("<a href=\"/shop-a/items/1\">item</a> (X-Cache: MISS)",
                    described(app.get("/items/1", ForwardedPrefixFilter.HEADER, "/shop-a")));
            assertEquals("<a href=\"/shop-b/items/1\">item</a> (X-Cache: MISS)",
                    described(app.get("/items/1", ForwardedPrefixFilter.HEADER, "/shop-b")));
            assertEquals("<a href=\"/items/1\">item</a> (X-Cache: MISS)", described(app.get("/items/1")));
            assertEquals("<a href=\"/shop-a/items/1\">item</a> (X-Cache: HIT)",
                    described(app.get("/items/1", ForwardedPrefixFilter.HEADER, "/shop-a")));
        }
    }
}
