package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the servlet response cannot be read (a filter's wrapper that throws on its reads, here for requests marked
 * {@value #UNREADABLE}), the cache cannot know what reached the client beside JAX-RS: it stores nothing.
 */
class UnreadableServletResponseTest {

    private static final String UNREADABLE = "X-Test-Unreadable";

    private final AtomicInteger calls = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(new Page(calls)).register(ResponseCacheFeature.class))
                .filter(new UnreadableWrapping(), "/api/*")
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String status(HttpResponse<?> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    @Test
    void missWhoseServletResponseCannotBeReadIsNotStored() {
        HttpResponse<String> unread = server.getText("/api/page", UNREADABLE, "true");
        assertEquals("ResponseCache; fwd=uri-miss; detail=servlet-response", status(unread));
        HttpResponse<String> next = server.getText("/api/page");
        assertEquals("page 2", next.body(), "nothing was stored");
        assertEquals("page 2", server.getText("/api/page").body(), "a readable one is");
    }

    @Path("page")
    public static final class Page {
        private final AtomicInteger calls;

        Page(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String page() {
            return "page " + calls.incrementAndGet();
        }
    }

    private static final class UnreadableWrapping implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (((HttpServletRequest) request).getHeader(UNREADABLE) == null) {
                chain.doFilter(request, response);
                return;
            }
            chain.doFilter(request, new HttpServletResponseWrapper((HttpServletResponse) response) {
                @Override
                public Collection<String> getHeaders(String name) {
                    throw new IllegalStateException("the servlet response cannot be read");
                }

                @Override
                public Collection<String> getHeaderNames() {
                    throw new IllegalStateException("the servlet response cannot be read");
                }
            });
        }
    }
}
