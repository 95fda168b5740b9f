package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
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
 * {@code varyBy = "header:Host"} is how an application serving one page per host keys on it, and over HTTP/2 no
 * {@code Host} is sent: the host is the {@code :authority}, which the runtime gives the application as the request's
 * host. Every HTTP/2 request was keyed as one without {@code Host}, so one tenant's page (which does not name the host,
 * so nothing else tells them apart) answered every other tenant's visitors.
 */
class Http2HostKeyTest {

    private Server server;
    private int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        // Every interface: the requests go to two names of this host.
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(Tenant.class)
                .register(HostHeader.class)
                .register(ResponseCacheFeature.class))), "/api/*");
        FilterHolder cache = new FilterHolder(ResponseCacheFilter.class);
        cache.setInitParameter("ttl", "60");
        cache.setInitParameter("varyBy", "header:Host");
        context.addFilter(cache, "/page/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().write(tenantOf(request.getServerName()));
            }
        }), "/page/*");
        FilterHolder byHeader = new FilterHolder(ResponseCacheFilter.class);
        byHeader.setInitParameter("ttl", "60");
        byHeader.setInitParameter("varyBy", "header:Host");
        context.addFilter(byHeader, "/header/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().write("host header=" + request.getHeader("Host"));
            }
        }), "/header/*");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write("connection upgraded");
            }
        }), "/warm");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    /** The tenant a host serves: a name that is not the host's, as a page of its own would show. */
    static String tenantOf(String host) {
        return "localhost".equals(host) ? "acme" : "globex";
    }

    /** A GET over HTTP/2: the client's first request to a host upgrades the connection (with a Host header). */
    private HttpResponse<String> overHttp2(String host, String path) throws Exception {
        String origin = "http://" + host + ":" + port;
        client.send(HttpRequest.newBuilder(URI.create(origin + "/warm")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(origin + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, response.version(), "the request must go over HTTP/2");
        return response;
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void entryKeyedOnHostIsNotServedToAnotherHttp2Authority() throws Exception {
        for (String path : new String[] {"/api/tenant", "/page/tenant"}) {
            assertEquals("acme", overHttp2("localhost", path).body());
            HttpResponse<String> other = overHttp2("127.0.0.1", path);
            assertEquals("globex", other.body(), path + " X-Cache: " + xCache(other));
            assertEquals("HIT", xCache(overHttp2("localhost", path)), path + ": stored, for its host");
        }
    }

    /**
     * A page built from the {@code Host} header, which an HTTP/2 request does not carry: keyed on the authority the
     * runtime saw, it was stored under the value an HTTP/1.1 visitor's {@code Host} reads as, who then got a page
     * built without it.
     */
    @Test
    void http2RequestWithoutHostDoesNotAnswerHttp11VisitorsOfThatHost() throws Exception {
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String path : new String[] {"/api/host-header", "/header/page"}) {
            assertEquals("host header=null", overHttp2("localhost", path).body(), path);
            HttpRequest visit = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build();
            HttpResponse<String> visitor = http11.send(visit, HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_1_1, visitor.version());
            assertEquals("host header=localhost:" + port, visitor.body(), path + " X-Cache: " + xCache(visitor));
            assertEquals("HIT", xCache(http11.send(visit, HttpResponse.BodyHandlers.ofString())), path);
            assertEquals("HIT", xCache(overHttp2("localhost", path)), path + ": the HTTP/2 page kept for HTTP/2");
        }
    }

    @Path("host-header")
    public static final class HostHeader {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "header:Host")
        public String get(@HeaderParam("Host") String host) {
            return "host header=" + host;
        }
    }

    @Path("tenant")
    public static final class Tenant {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "header:Host")
        public String get(@Context UriInfo uri) {
            return tenantOf(uri.getBaseUri().getHost());
        }
    }
}
