package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * A stale-while-revalidate refresh whose resource method throws (after the client has its stale answer) showed two
 * warnings with stack traces for one failure. One is ours, with the cause; the other is Jersey's own report of an
 * exception no mapper handles ({@code ServerRuntime$Responder}), which it logs for the refresh as for any request,
 * before handing the exception to the servlet container; docs/OPERATIONS.md says so. Every record of every logger is
 * counted, on real Jetty and Jersey, with the refresh run by the filter in front as in a WAR.
 */
class FailedRefreshOfAResourceMethodIsOneWarningOfOursTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String JERSEY_RESPONDER = "org.glassfish.jersey.server.ServerRuntime$Responder";

    private final MutableClock clock = new MutableClock();

    @Test
    void oneWarningOfOursWithTheCauseBesideJerseysOwnReportOfTheUnmappedException() {
        FailingResource resource = new FailingResource();
        ResourceConfig config = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock);
        TestServer server = TestServer.jersey(config);
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        try (LogCapture log = LogCapture.of(""); TestServer started = server.start()) {
            assertEquals("item 1", started.getText("/api/item").body());
            clock.advance(Duration.ofSeconds(70));
            resource.failing.set(true);
            log.clear();

            HttpResponse<String> stale = started.getText("/api/item");
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElse("none"));
            // Jersey logs on the refresh's thread before the exception reaches the filter, which logs ours.
            Eventually.until(() -> log.recordsAtLeast(Level.WARNING).stream()
                    .anyMatch(r -> "dev.responsecache".equals(r.getLoggerName())), WAIT,
                    () -> "the refresh's failure was not logged: " + log.messagesAtLeast(Level.WARNING));
            List<LogRecord> warnings = log.recordsAtLeast(Level.WARNING);
            assertEquals(List.of(JERSEY_RESPONDER, "dev.responsecache"),
                    warnings.stream().map(LogRecord::getLoggerName).toList(),
                    log.messagesAtLeast(Level.WARNING)::toString);
            LogRecord ours = warnings.get(1);
            assertEquals("background refresh of /api/item failed; its stale entry answers until its"
                    + " stale-while-revalidate window ends", ours.getMessage());
            assertEquals("backend down", RefreshFailures.unwrapped(ours.getThrown()).getMessage());
            assertEquals(2, resource.calls.get(), "the refresh ran the method once");
        }
    }

    @Path("item")
    public static final class FailingResource {

        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public String item() {
            int call = calls.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("backend down");
            }
            return "item " + call;
        }
    }
}
