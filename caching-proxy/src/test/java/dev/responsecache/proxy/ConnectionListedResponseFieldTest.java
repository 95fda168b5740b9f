package dev.responsecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9110 7.6.1: a proxy removes the fields an origin's {@code Connection} header lists before forwarding the
 * response; they concern the connection between the origin and the proxy alone (an upstream's connection token, a
 * debugging field meant for the next hop), and RFC 9111 3.1 lets a cache remove them before storing. Jetty's proxy
 * servlet removes only the fixed hop-by-hop names, so a listed field reached the client on the miss and was stored
 * and replayed on every hit.
 */
class ConnectionListedResponseFieldTest {

    private static final int MAX_ATTEMPTS = 100_000;

    private final HttpClient client = HttpClient.newHttpClient();
    private Server origin;
    private CachingProxy proxy;

    @BeforeEach
    void start() throws Exception {
        origin = new Server(0);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.setHeader("Cache-Control", "max-age=60");
                response.setHeader("Connection", "X-Upstream-Hop, x-second-hop");
                response.setHeader("X-Upstream-Hop", "node-7");
                response.setHeader("X-Second-Hop", "token");
                response.setHeader("X-End-To-End", "kept");
                response.getOutputStream().write("page".getBytes(StandardCharsets.UTF_8));
            }
        }), "/*");
        origin.setHandler(context);
        origin.start();
        int port = ((ServerConnector) origin.getConnectors()[0]).getLocalPort();
        proxy = CachingProxy.start(URI.create("http://localhost:" + port), 0, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        origin.stop();
    }

    private HttpResponse<String> send(String method) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + proxy.port() + "/page"))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOnlyEndToEndFields(HttpResponse<String> response) {
        assertEquals(List.of(), response.headers().allValues("X-Upstream-Hop"), response.headers().toString());
        assertEquals(List.of(), response.headers().allValues("X-Second-Hop"), response.headers().toString());
        assertEquals(List.of("kept"), response.headers().allValues("X-End-To-End"), response.headers().toString());
    }

    @Test
    void fieldsTheOriginsConnectionHeaderListsAreNeitherForwardedNorStored() throws Exception {
        HttpResponse<String> miss = send("GET");
        assertEquals("page", miss.body());
        assertOnlyEndToEndFields(miss);
        for (int attempt = 0; !"HIT".equals(send("HEAD").headers().firstValue("X-Cache").orElse("")); attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw new AssertionError("/page was never stored");
            }
            Thread.onSpinWait();
        }
        HttpResponse<String> hit = send("GET");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("page", hit.body());
        assertOnlyEndToEndFields(hit);
    }
}
