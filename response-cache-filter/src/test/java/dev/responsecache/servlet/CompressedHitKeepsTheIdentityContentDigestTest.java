package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With {@code responsecache.compress=gzip}, a servlet that sends a {@code Content-Digest} (RFC 9530: the digest of the
 * content as sent, after any content coding) over its identity body. The cache stores the entry gzipped and hands a
 * client that accepts gzip the stored gzip bytes with every stored header, the identity body's digest among them.
 *
 * <p>What the client gets: {@code Content-Encoding: gzip} bytes under a {@code Content-Digest} that is the digest of
 * other bytes (the identity body), so a client that checks it rejects the response. What it should get: what the
 * servlet sends without the cache, the identity body with its own, matching, digest (or, compressed, a digest of the
 * bytes sent): a representation-bound header such as {@code Content-Digest} or {@code Repr-Digest} cannot go with
 * bytes the application did not write; such a response is not one the cache may compress.
 */
class CompressedHitKeepsTheIdentityContentDigestTest {

    static final byte[] BODY = ("[" + "{\"id\":1,\"name\":\"a product\",\"price\":12.5},".repeat(100) + "{}]")
            .getBytes(StandardCharsets.UTF_8);

    static String digest(byte[] bytes) {
        try {
            return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes))
                    + ":";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Signed extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("application/json");
            response.setHeader("Content-Digest", digest(BODY));
            response.getOutputStream().write(BODY);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void gzipHitNeverCarriesTheDigestOfTheIdentityBody(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .contextParam(ResponseCacheProperties.COMPRESS, "gzip")
                .filter("cache", new ResponseCacheFilter(), "/signed/*", "ttl", "60")
                .servlet("signed", new Signed(), "/signed/*"))) {
            HttpResponse<byte[]> miss = app.getBytes("/signed/a", "Accept-Encoding", "gzip");
            assertEquals(miss.headers().firstValue("Content-Digest").orElseThrow(), digest(miss.body()));

            HttpResponse<byte[]> hit = app.getBytes("/signed/a", "Accept-Encoding", "gzip");
            String seen = "X-Cache: " + hit.headers().firstValue("X-Cache").orElse("none") + ", Content-Encoding: "
                    + hit.headers().allValues("Content-Encoding");
            assertEquals(digest(hit.body()), hit.headers().firstValue("Content-Digest").orElse("none"), seen);
        }
    }
}
