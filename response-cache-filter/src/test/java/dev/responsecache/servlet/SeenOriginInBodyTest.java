package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.TestCertificates;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host and scheme an application builds its links from are the ones the runtime saw the request addressed to,
 * which the {@code Host} header does not tell: on HTTP/2 the {@code :authority} (no {@code Host} is sent), on HTTP/1.1
 * an absolute-form request target's authority (which overrides {@code Host}), and {@code https} over TLS. An entry
 * naming its host must be matched on them, by the servlet filter (a servlet's page, {@code /page}) and by the filter's
 * early hits in front of Jersey ({@code /api}, a JAX-RS method's entry), which must still answer a request to the
 * origin the entry was stored for.
 */
class SeenOriginInBodyTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.generated();

    private final AtomicInteger enteredJersey = new AtomicInteger();
    private final HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    private Server server;
    private ServerConnector plain;
    private ServerConnector secure;
    private SSLContext tlsClient;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        // An absolute-form target naming another host than Host is refused (400) unless allowed, as a proxy-facing
        // server may: then the target's authority is the request's host (RFC 9112 3.2.2).
        config.setHttpCompliance(HttpCompliance.RFC9110.with("mismatched authority",
                HttpCompliance.Violation.MISMATCHED_AUTHORITY));
        // Every interface: "localhost" may resolve to ::1, and the HTTP/2 requests go to two names of this host.
        plain = new ServerConnector(server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        server.addConnector(plain);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(serverKeyStore());
        tls.setKeyStorePassword(TestCertificates.PASSWORD);
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer(false));
        secure = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(https));
        secure.setHost("127.0.0.1");
        server.addConnector(secure);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder cache = new FilterHolder(ResponseCacheFilter.class);
        cache.setInitParameter("ttl", "60");
        context.addFilter(cache, "/page/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().write("continue at " + request.getRequestURL());
            }
        }), "/page/*");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write("connection upgraded");
            }
        }), "/warm");
        FilterHolder keyed = new FilterHolder(ResponseCacheFilter.class);
        keyed.setInitParameter("ttl", "60");
        keyed.setInitParameter("varyBy", "header:Host");
        context.addFilter(keyed, "/tenant/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                String tenant = "shop.example".equals(request.getServerName()) ? "tenant acme" : "tenant globex";
                response.getWriter().write(tenant);
            }
        }), "/tenant/*");
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        Filter counting = (request, response, chain) -> {
            enteredJersey.incrementAndGet();
            chain.doFilter(request, response);
        };
        context.addFilter(new FilterHolder(counting), "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(Start.class)
                .register(ResponseCacheFeature.class))), "/api/*");
        server.setHandler(context);
        server.start();

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(CERTIFICATES.caStore())) {
            trusted.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        tlsClient = SSLContext.getInstance("TLS");
        tlsClient.init(null, trust.getTrustManagers(), null);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private static KeyStore serverKeyStore() throws Exception {
        String pem = Files.readString(CERTIFICATES.serverKeyPem());
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        Certificate certificate;
        try (InputStream in = Files.newInputStream(CERTIFICATES.serverCertPem())) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, TestCertificates.PASSWORD.toCharArray(), new Certificate[] {certificate});
        return store;
    }

    /**
     * A GET to {@code host} over HTTP/2. The client's first request to a host upgrades the connection (an HTTP/1.1
     * request with {@code Host}), so one goes first to a path the cache does not handle.
     */
    private HttpResponse<String> overHttp2(String host, String path) throws Exception {
        String origin = "http://" + host + ":" + plain.getLocalPort();
        http2.send(HttpRequest.newBuilder(URI.create(origin + "/warm")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response = http2.send(HttpRequest.newBuilder(URI.create(origin + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, response.version(), "the request must go over HTTP/2");
        return response;
    }

    /** The whole response to {@code requestLine} sent with {@code Host: shop.example} on {@code socket}. */
    private static String send(Socket socket, String requestLine) throws IOException {
        return send(socket, requestLine, "shop.example");
    }

    private static String send(Socket socket, String requestLine, String host) throws IOException {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private Socket plainSocket() throws IOException {
        return new Socket("127.0.0.1", plain.getLocalPort());
    }

    private Socket tlsSocket() throws IOException {
        return tlsClient.getSocketFactory().createSocket("127.0.0.1", secure.getLocalPort());
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void servletPageNamingOneHttp2AuthorityDoesNotAnswerARequestToAnother() throws Exception {
        String port = ":" + plain.getLocalPort();
        assertEquals("continue at http://localhost" + port + "/page/start",
                overHttp2("localhost", "/page/start").body());
        HttpResponse<String> other = overHttp2("127.0.0.1", "/page/start");
        assertEquals("continue at http://127.0.0.1" + port + "/page/start", other.body(), "X-Cache: " + xCache(other));
        assertEquals("HIT", xCache(overHttp2("localhost", "/page/start")), "stored, for its authority");
    }

    @Test
    void earlyHitOfAnEntryNamingOneHttp2AuthorityAnswersItAloneInFrontOfJersey() throws Exception {
        String port = ":" + plain.getLocalPort();
        assertEquals("continue at http://localhost" + port + "/api/next", overHttp2("localhost", "/api/start").body());
        int entered = enteredJersey.get();
        HttpResponse<String> again = overHttp2("localhost", "/api/start");
        assertEquals("HIT", xCache(again));
        assertEquals(entered, enteredJersey.get(), "answered in front of Jersey");
        HttpResponse<String> other = overHttp2("127.0.0.1", "/api/start");
        assertEquals("continue at http://127.0.0.1" + port + "/api/next", other.body(), "X-Cache: " + xCache(other));
    }

    @Test
    void httpsVisitorGetsTheHttpsLinkNotTheOneStoredForAPlainHttpVisitor() throws Exception {
        for (String path : new String[] {"/page/start", "/api/start"}) {
            String link = path.startsWith("/page") ? "shop.example/page/start" : "shop.example/api/next";
            String overHttp = send(plainSocket(), "GET " + path + " HTTP/1.1");
            assertTrue(overHttp.contains("continue at http://" + link), overHttp);
            String overHttps = send(tlsSocket(), "GET " + path + " HTTP/1.1");
            assertTrue(overHttps.contains("continue at https://" + link), overHttps);
            String againOverHttp = send(plainSocket(), "GET " + path + " HTTP/1.1");
            assertTrue(againOverHttp.contains("X-Cache: HIT"), "stored, for its scheme: " + againOverHttp);
        }
    }

    /** RFC 9112 3.2.2: the authority of an absolute-form target is the request's host, whatever {@code Host} says. */
    @Test
    void absoluteFormTargetNamingAnotherHostDoesNotChooseThePageOfItsHostHeader() throws Exception {
        for (String path : new String[] {"/page/start", "/api/start"}) {
            String link = path.startsWith("/page") ? "/page/start" : "/api/next";
            String crafted = send(plainSocket(), "GET http://evil.example" + path + " HTTP/1.1");
            assertTrue(crafted.contains("continue at http://evil.example" + link), crafted);
            String visitor = send(plainSocket(), "GET " + path + " HTTP/1.1");
            assertTrue(visitor.contains("continue at http://shop.example" + link), visitor);
        }
    }

    /**
     * An absolute-form target naming another host than {@code Host} makes that host the servlet request's server
     * name: a page keyed on {@code Host} alone, built from the server name, answered the host's visitors.
     */
    @Test
    void absoluteFormTargetNamingAnotherHostDoesNotAnswerTheHostsVisitors() throws Exception {
        String crafted = send(plainSocket(), "GET http://evil.example/tenant/home HTTP/1.1");
        assertTrue(crafted.contains("tenant globex"), crafted);
        String visitor = send(plainSocket(), "GET /tenant/home HTTP/1.1");
        assertTrue(visitor.contains("tenant acme"), visitor);
        String again = send(plainSocket(), "GET /tenant/home HTTP/1.1");
        assertTrue(again.contains("tenant acme") && again.contains("X-Cache: HIT"), again);
    }

    /**
     * A host name with {@code _} (a container's) is not a server authority to {@link URI}, which then gives no host:
     * the JAX-RS side reads the authority itself, so that its entries naming such a host still hit, in front of
     * Jersey too (the servlet request's origin and the runtime's URI's are written alike).
     */
    @Test
    void entryNamingAHostWithAnUnderscoreIsAHitForThatHost() throws Exception {
        String miss = send(plainSocket(), "GET /api/start HTTP/1.1", "shop_app.internal");
        assertTrue(miss.contains("continue at http://shop_app.internal/api/next"), miss);
        int entered = enteredJersey.get();
        String hit = send(plainSocket(), "GET /api/start HTTP/1.1", "shop_app.internal");
        assertTrue(hit.contains("X-Cache: HIT") && hit.contains("http://shop_app.internal/api/next"), hit);
        assertEquals(entered, enteredJersey.get(), "answered in front of Jersey");
    }

    @Path("start")
    public static final class Start {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@Context UriInfo uri) {
            return "continue at " + uri.getBaseUriBuilder().path("next").build();
        }
    }
}
