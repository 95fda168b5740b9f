package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over HTTP/2 the host a request is sent to is its {@code :authority}, and no {@code Host} header comes with it. An
 * entry that names the request's host is matched on {@code Host} and the forwarding headers, all absent from every
 * HTTP/2 request: a page whose links name one authority must not answer an HTTP/2 request to another (a client that
 * sends {@code :authority: evil.example} once would otherwise send every HTTP/2 visitor there).
 */
class Http2AuthorityInBodyTest {

    private Server server;
    private int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        // Every interface: "localhost" may resolve to ::1.
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(Start.class)
                .register(ResponseCacheFeature.class))), "/api/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    /**
     * A GET to {@code host} over HTTP/2: the client's first request to a host upgrades its connection (an HTTP/1.1
     * request with {@code Host}), so one goes first to a path the cache does not handle.
     */
    private HttpResponse<String> overHttp2(String host, String path) throws Exception {
        client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/api/start/warm")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://" + host + ":" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, response.version(), "the request must go over HTTP/2");
        return response;
    }

    @Test
    void pageNamingOneAuthorityDoesNotAnswerAnHttp2RequestToAnother() throws Exception {
        assertEquals("continue at http://localhost:" + port + "/api/next",
                overHttp2("localhost", "/api/start").body());
        HttpResponse<String> other = overHttp2("127.0.0.1", "/api/start");
        assertEquals("continue at http://127.0.0.1:" + port + "/api/next", other.body(),
                "X-Cache: " + other.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("start")
    public static final class Start {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@Context UriInfo uri) {
            return "continue at " + uri.getBaseUriBuilder().path("next").build();
        }

        @GET
        @Path("warm")
        @Produces(MediaType.TEXT_PLAIN)
        public String warm() {
            return "connection upgraded";
        }
    }
}
