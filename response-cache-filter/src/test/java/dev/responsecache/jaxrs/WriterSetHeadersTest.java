package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;

import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link MessageBodyWriter} may set response headers in {@code writeTo} (JAX-RS hands it the header map for that
 * purpose): a CSV writer that names the download. A hit replays the stored bytes as a {@code StreamingOutput}, so the
 * application's writer does not run again: what it set must be in the entry, or the hit lacks it.
 */
class WriterSetHeadersTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(ReportResource.class).register(CsvWriter.class)
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void headerTheMessageBodyWriterSetIsReplayedOnAHit() {
        HttpResponse<String> miss = server.getText("/api/report");
        Optional<String> disposition = miss.headers().firstValue("Content-Disposition");
        assertEquals(Optional.of("attachment; filename=report.csv"), disposition);
        HttpResponse<String> hit = server.getText("/api/report");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals(miss.body(), hit.body());
        assertEquals(disposition, hit.headers().firstValue("Content-Disposition"));
    }

    /** What the method returns: the writer turns it into CSV. */
    public record Report(String rows) {
    }

    @Path("report")
    public static final class ReportResource {
        @GET
        @Produces("text/csv")
        @CacheResponse(ttl = 60)
        public Report report() {
            return new Report("a,b\n1,2\n");
        }
    }

    @Produces("text/csv")
    public static final class CsvWriter implements MessageBodyWriter<Report> {
        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == Report.class;
        }

        @Override
        public void writeTo(Report report, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws java.io.IOException {
            headers.putSingle("Content-Disposition", "attachment; filename=report.csv");
            out.write(report.rows().getBytes(StandardCharsets.UTF_8));
        }
    }
}
