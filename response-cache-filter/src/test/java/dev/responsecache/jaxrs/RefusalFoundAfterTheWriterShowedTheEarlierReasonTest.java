package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The message body writer gives the response its lines in {@code writeTo}, before the first byte: a lifetime, and
 * with it a {@code Set-Cookie} or a {@code no-store}; or it writes more than {@code max-body-size}. The response was
 * rightly not stored, but {@code Cache-Status} still said what the filters had seen: {@code detail=no-lifetime} in
 * the header-driven mode (the lifetime came with the writer), no detail at all in the ttl mode. The body is held
 * until then, so the header lines have not gone out: they now say the reason that holds.
 */
class RefusalFoundAfterTheWriterShowedTheEarlierReasonTest {

    /** Past the limit, and within Jersey's 8 KiB buffer and Jetty's, as most pages. */
    private static final int LIMIT = 1024;

    private final AtomicInteger calls = new AtomicInteger();
    private TestServer server;

    private void start(boolean headerDriven) {
        server = TestServer.jersey(new ResourceConfig().register(new Pages(calls)).register(PageWriter.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.TTL_FROM_HEADERS, String.valueOf(headerDriven))
                .property(ResponseCacheProperties.MAX_BODY_SIZE, String.valueOf(LIMIT))).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void headerDrivenCookieOrNoStoreTheWriterSetShowedNoLifetime() {
        start(true);
        assertRefusedAs("cookie", "set-cookie");
        assertRefusedAs("nostore", "no-store");
    }

    @Test
    void headerDrivenBodyPastTheLimitShowedNoLifetime() {
        start(true);
        assertRefusedAs("big", "too-large");
    }

    @Test
    void bodyPastTheLimitShowedItWouldBeStored() {
        start(false);
        assertRefusedAs("big", "too-large");
        assertRefusedAs("cookie", "set-cookie");
    }

    private void assertRefusedAs(String page, String detail) {
        for (int i = 1; i <= 2; i++) {
            int before = calls.get();
            HttpResponse<String> miss = server.getText("/api/pages/" + page);
            assertEquals(200, miss.statusCode());
            assertEquals("ResponseCache; fwd=uri-miss; detail=" + detail,
                    miss.headers().firstValue("Cache-Status").orElse("none"), page);
            assertEquals(before + 1, calls.get(), page + ": not stored");
            if (page.equals("big")) {
                assertEquals(LIMIT * 4, miss.body().length(), "the whole body");
            }
        }
    }

    /** What the method returns: the writer decides its lines. */
    public record Page(String name, int call) {
    }

    @Path("pages")
    public static final class Pages {
        private final AtomicInteger calls;

        Pages(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Path("{name}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Page page(@PathParam("name") String name) {
            return new Page(name, calls.incrementAndGet());
        }
    }

    @Produces(MediaType.TEXT_PLAIN)
    public static final class PageWriter implements MessageBodyWriter<Page> {
        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == Page.class;
        }

        @Override
        public void writeTo(Page page, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws IOException {
            headers.putSingle("Cache-Control", page.name().equals("nostore") ? "no-store" : "max-age=60");
            if (page.name().equals("cookie")) {
                headers.add("Set-Cookie", "visitor=" + page.call());
            }
            String text = page.name().equals("big") ? "x".repeat(LIMIT * 4) : page.name() + " " + page.call();
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
