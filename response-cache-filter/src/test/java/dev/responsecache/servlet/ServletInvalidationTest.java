package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Invalidation through the servlet filter: tags from init-params, default eviction of unsafe requests, the API. */
class ServletInvalidationTest {

    private final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "2", "20"));
    private static final String TOKEN = "s3cret-0123456789abcdef";
    private TestServer server;

    /** GET shows a price; PUT sets it (400 for an empty one). */
    private final class PriceServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String id = request.getPathInfo().substring(1);
            request.setAttribute(ResponseCacheInvalidator.RESPONSE_TAGS, new String[] {"listed"});
            response.addHeader("X-Price-Tags", "shown:" + id + ", shown");
            response.setContentType("text/plain");
            response.getWriter().print("price " + id + " is " + prices.get(id));
        }

        @Override
        protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String price = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if ("true".equals(request.getParameter("async"))) {
                AsyncContext async = request.startAsync();
                async.start(() -> {
                    prices.put(request.getPathInfo().substring(1), price);
                    ((HttpServletResponse) async.getResponse()).setStatus(204);
                    async.complete();
                });
                return;
            }
            if (price.isEmpty()) {
                response.setStatus(400);
                return;
            }
            prices.put(request.getPathInfo().substring(1), price);
            response.setHeader("X-Price-Tags", "shown");
            response.setStatus(204);
        }
    }

    private TestServer start(String invalidateUnsafe) {
        server = TestServer.servlets();
        server.context().setInitParameter(ResponseCacheProperties.INVALIDATE_UNSAFE, invalidateUnsafe);
        server.context().setInitParameter(ResponseCacheProperties.TAG_HEADER, "X-Price-Tags");
        server.context().setInitParameter(ResponseCacheProperties.PURGE_TOKEN, TOKEN);
        server.context().setInitParameter(ResponseCacheProperties.PURGE_ROLE, "purger");
        FilterHolder roles = new FilterHolder(new RolesFromHeaders());
        roles.setAsyncSupported(true);
        server.context().addFilter(roles, "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder filter = new FilterHolder(new ResponseCacheFilter());
        filter.setInitParameter("ttl", "600");
        filter.setInitParameter("tags", "prices, price:{id}");
        filter.setInitParameter("tagPath", "/prices/{id}");
        server.context().addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        filter.setAsyncSupported(true);
        ServletHolder priceServlet = new ServletHolder(new PriceServlet());
        priceServlet.setAsyncSupported(true);
        server.context().addServlet(priceServlet, "/prices/*");
        ServletHolder purge = new ServletHolder(new ResponseCachePurgeServlet());
        purge.setInitParameter("token", TOKEN);
        ServletHolder byRole = new ServletHolder(new ResponseCachePurgeServlet());
        byRole.setInitParameter("role", "purger");
        server.context().addServlet(byRole, "/cache/purge-by-role");
        server.context().addServlet(purge, "/cache/purge");
        return server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String cacheStatus(String path) {
        return server.getText(path).headers().firstValue("X-Cache").orElseThrow();
    }

    private void cached(String path) {
        server.getText(path);
        assertEquals("HIT", cacheStatus(path), path);
    }

    private int send(String method, String path, String body) {
        return server.send(server.request(path).method(method, HttpRequest.BodyPublishers.ofString(body)).build())
                .statusCode();
    }

    private ResponseCacheInvalidator invalidator() {
        return (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
    }

    @Test
    void successfulPutToAnAsynchronousServletEvictsWhenItCompletes() {
        start("true");
        cached("/prices/1");
        cached("/prices/2");
        assertEquals(204, send("PUT", "/prices/1?async=true", "12"));
        // Evicted once the response has completed, which the client may see first: polled, with a far deadline.
        Eventually.until(() -> "MISS".equals(cacheStatus("/prices/1")), Duration.ofSeconds(60),
                () -> "the asynchronous PUT never evicted its path");
        assertEquals("price 1 is 12", server.getText("/prices/1").body());
        assertEquals("HIT", cacheStatus("/prices/2"));
    }

    @Test
    void tagsFilledFromTheTagPathEvictOneProductOrAll() {
        start("false");
        cached("/prices/1");
        cached("/prices/2");
        assertEquals(204, send("PUT", "/prices/1", "11"));
        assertEquals("HIT", cacheStatus("/prices/1"), "default invalidation is off");
        assertEquals(1, invalidator().evictTags("price:1"));
        assertEquals("price 1 is 11", server.getText("/prices/1").body());
        assertEquals(2, invalidator().evictTags("prices"));
        assertEquals("MISS", cacheStatus("/prices/2"));
    }

    private HttpResponse<String> purge(String query, String token) {
        HttpRequest.Builder request = server.request("/cache/purge?" + query)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void purgeEndpointEvictsTagsAndPathsOnlyWithTheToken() {
        start("false");
        cached("/prices/1");
        cached("/prices/2");
        assertEquals(401, purge("tag=prices", null).statusCode());
        assertEquals(401, purge("tag=prices", "wrong-0123456789abcdef").statusCode());
        assertEquals("HIT", cacheStatus("/prices/1"), "an unauthorised purge evicts nothing");
        assertEquals(400, purge("", TOKEN).statusCode());
        HttpResponse<String> byTag = purge("tag=price:1", TOKEN);
        assertEquals(200, byTag.statusCode());
        assertEquals("removed=1\n", byTag.body());
        assertEquals("MISS", cacheStatus("/prices/1"));
        assertEquals("removed=1\n", purge("path=/prices/2", TOKEN).body());
        assertEquals("MISS", cacheStatus("/prices/2"));
    }

    /** The purge servlet's plain-text replies ended without a newline: curl left the prompt on the reply's line. */
    @Test
    void purgeRepliesEndWithANewline() {
        start("false");
        cached("/prices/1");
        assertEquals("purging needs credentials\n", purge("tag=prices", null).body());
        assertTrue(purge("", TOKEN).body().endsWith("\n"), "a bad request's reason too");
        assertEquals("removed=1\n", purge("tag=price:1", TOKEN).body());
    }

    @Test
    void purgeNamingOneBadTargetEvictsNothingBeforeItsBadRequest() {
        start("false");
        cached("/prices/1");
        cached("/prices/2");
        assertEquals(400, purge("tag=price:1&path=prices/2", TOKEN).statusCode());
        assertEquals(400, purge("tag=price:1&path=/prices/2&url=prices?x", TOKEN).statusCode());
        assertEquals("HIT", cacheStatus("/prices/1"), "the tag named beside a bad path was evicted before the 400");
        assertEquals("HIT", cacheStatus("/prices/2"));
    }

    private HttpResponse<String> send(HttpRequest.Builder given, String... headers) {
        HttpRequest.Builder request = given.copy();
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void purgeServletAdmitsTheRoleInsteadOfTheTokenAndEvictsUrls() {
        start("false");
        cached("/prices/2?currency=eur");
        cached("/prices/2");
        HttpRequest.Builder post = server.request("/cache/purge-by-role?url=/prices/2?currency%3Deur")
                .POST(HttpRequest.BodyPublishers.noBody());
        assertEquals(401, send(post).statusCode());
        assertEquals(403, send(post, "X-User", "someone", "X-Roles", "viewer").statusCode());
        assertEquals(401, send(post, "Authorization", "Bearer " + TOKEN).statusCode(), "this one takes no token");
        assertEquals("removed=1\n", send(post, "X-User", "operator", "X-Roles", "purger").body());
        assertEquals("MISS", cacheStatus("/prices/2?currency=eur"));
        assertEquals("HIT", cacheStatus("/prices/2"));
    }

    @Test
    void pathIsNotATag() {
        start("false");
        assertThrows(IllegalArgumentException.class, () -> invalidator().evictTags("/prices/1"));
        assertThrows(IllegalArgumentException.class, () -> invalidator().evictPath("prices/1"));
        assertTrue(invalidator().evictPath("/prices/1") >= 0);
    }

    /** Stands in for container authentication: {@code X-User} names the user, {@code X-Roles} their roles. */
    private static final class RolesFromHeaders implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            String user = http.getHeader("X-User");
            if (user == null) {
                chain.doFilter(request, response);
                return;
            }
            List<String> roles = http.getHeader("X-Roles") == null ? List.of()
                    : List.of(http.getHeader("X-Roles").split(","));
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return roles.contains(role);
                }
            }, response);
        }
    }
}
