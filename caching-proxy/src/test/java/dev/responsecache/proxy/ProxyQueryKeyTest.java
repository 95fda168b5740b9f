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
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy forwards the query string as sent, and the origin behind it may read it as sent: RFC 9111 keys a stored
 * response on the target URI, and RFC 3986 makes neither a reordering of parameters nor {@code +} for {@code %20}
 * an equivalent URI (nginx and Varnish key on the URI as sent). The origin here answers with the query it got, as an
 * origin building its "next page" or canonical link from the raw query does: each URI must get its own answer.
 */
class ProxyQueryKeyTest {

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
                response.getOutputStream().write(("query as sent: " + request.getQueryString())
                        .getBytes(StandardCharsets.UTF_8));
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

    private HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + proxy.port() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A miss, then polls (with HEAD, a round trip each, never timed) until its entry answers. */
    private String getStored(String pathAndQuery) throws Exception {
        String body = send("GET", pathAndQuery).body();
        for (int attempt = 0; !"HIT".equals(send("HEAD", pathAndQuery).headers().firstValue("X-Cache").orElse(""));
             attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw new AssertionError(pathAndQuery + " was never stored");
            }
            Thread.onSpinWait();
        }
        return body;
    }

    @Test
    void parametersInAnotherOrderGetTheOriginsAnswerToThatOrder() throws Exception {
        assertEquals("query as sent: a=1&b=2", getStored("/page?a=1&b=2"));
        HttpResponse<String> reordered = send("GET", "/page?b=2&a=1");
        assertEquals("query as sent: b=2&a=1", reordered.body(),
                "X-Cache: " + reordered.headers().firstValue("X-Cache").orElse("none"));
    }

    @Test
    void plusAndPercentTwentyGetTheOriginsAnswerToEach() throws Exception {
        assertEquals("query as sent: q=a%20b", getStored("/search?q=a%20b"));
        HttpResponse<String> plus = send("GET", "/search?q=a+b");
        assertEquals("query as sent: q=a+b", plus.body(),
                "X-Cache: " + plus.headers().firstValue("X-Cache").orElse("none"));
    }
}
