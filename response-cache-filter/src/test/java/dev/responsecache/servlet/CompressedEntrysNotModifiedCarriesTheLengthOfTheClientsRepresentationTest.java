package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 9110 8.6: a 304 may carry a {@code Content-Length} only if it is the length of the content a 200 to the same
 * request would have. An entry stored gzipped answers a client that accepts gzip with the gzip bytes, and one that
 * does not with the identity body: a 304 to each must carry the length of the body that client's 200 has. A client
 * offered the gzip bytes that names the identity tag (it holds the identity body from an earlier answer) still gets
 * a 304 whose 200 would have been the gzip bytes.
 */
class CompressedEntrysNotModifiedCarriesTheLengthOfTheClientsRepresentationTest {

    private static final byte[] BODY = ("[" + "{\"id\":1,\"name\":\"a product\"},".repeat(60) + "{}]")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpClient client = HttpClient.newHttpClient();

    static final class Products extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("application/json");
            response.getOutputStream().write(BODY);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void a304CarriesTheLengthOfTheBodyThisClientsOkWouldHave(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .contextParam(ResponseCacheProperties.COMPRESS, "gzip")
                .filter("cache", new ResponseCacheFilter(), "/p/*", "ttl", "60")
                .servlet("products", new Products(), "/p/*"))) {
            app.get("/p/list");
            HttpResponse<byte[]> identity = app.getBytes("/p/list");
            HttpResponse<byte[]> gzip = app.getBytes("/p/list", "Accept-Encoding", "gzip");
            assertEquals("gzip", gzip.headers().firstValue("Content-Encoding").orElse("none"));
            String identityTag = identity.headers().firstValue("ETag").orElseThrow();
            String gzipTag = gzip.headers().firstValue("ETag").orElseThrow();
            assertNotEquals(identityTag, gzipTag);
            String identityLength = Integer.toString(identity.body().length);
            String gzipLength = Integer.toString(gzip.body().length);

            for (String method : new String[] {"GET", "HEAD"}) {
                assertEquals(identityLength, notModifiedLength(app, identityLength, method, identityTag),
                        method + " identity");
                assertEquals(gzipLength, notModifiedLength(app, gzipLength, method, gzipTag,
                        "Accept-Encoding", "gzip"), method + " gzip naming the gzip tag");
                assertEquals(gzipLength, notModifiedLength(app, gzipLength, method, identityTag,
                        "Accept-Encoding", "gzip"), method + " gzip naming the identity tag: its 200 is gzip");
            }
            // A HEAD with a range goes to the servlet (Jetty's default servlet answers it 206, Tomcat's 200).
            assertEquals(identityLength, notModifiedLength(app, identityLength, "GET", identityTag,
                    "Accept-Encoding", "gzip", "Range", "bytes=0-9"), "a range: the identity body");
        }
    }

    private String notModifiedLength(Container.Running app, String expected, String method, String tag,
                                     String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/p/list")).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("If-None-Match", tag);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(304, response.statusCode(), method + " " + tag);
            // Tomcat sends a 304 without any Content-Length: absent is as right as the 200's length.
            return response.headers().firstValue("Content-Length").orElse(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
