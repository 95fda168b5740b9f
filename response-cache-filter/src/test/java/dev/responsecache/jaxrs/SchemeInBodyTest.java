package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestCertificates;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
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
 * One application serving plain HTTP and HTTPS itself (port 80 and 443, so one {@code Host: shop.example} for both),
 * with a page that links to itself from its base URI, as {@code UriInfo} builds it. The entry names the host, so it
 * is matched on {@code Host} and the forwarding headers; the scheme the request came over is neither, and the HTTPS
 * visitor must not get the {@code http://} link the HTTP visitor's miss stored (a downgrade, mixed content).
 */
class SchemeInBodyTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.generated();

    private Server server;
    private ServerConnector plain;
    private ServerConnector secure;
    private SSLContext client;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        plain = new ServerConnector(server);
        plain.setHost("127.0.0.1");
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
        client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
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

    /** The whole response to a GET sent as a browser sends it to {@code shop.example} on the default port. */
    private static String get(Socket socket) throws IOException {
        return get(socket, "/api/start");
    }

    private static String get(Socket socket, String path) throws IOException {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** What the application answers an HTTPS visitor without the cache: the link the test expects. */
    @Test
    void uncachedPageLinksOverHttpsForAnHttpsVisitor() throws Exception {
        String overHttps = get(client.getSocketFactory().createSocket("127.0.0.1", secure.getLocalPort()),
                "/api/start/uncached");
        assertTrue(overHttps.contains("continue at https://shop.example/api/next"), overHttps);
    }

    @Test
    void httpsVisitorGetsTheHttpsLinkNotTheOneStoredForAPlainHttpVisitor() throws Exception {
        String overHttp = get(new Socket("127.0.0.1", plain.getLocalPort()));
        assertTrue(overHttp.contains("continue at http://shop.example/api/next"), overHttp);

        String overHttps = get(client.getSocketFactory().createSocket("127.0.0.1", secure.getLocalPort()));
        assertTrue(overHttps.contains("continue at https://shop.example/api/next"), overHttps);
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
        @Path("uncached")
        @Produces(MediaType.TEXT_PLAIN)
        public String uncached(@Context UriInfo uri) {
            return get(uri);
        }
    }
}
