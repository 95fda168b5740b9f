package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A servlet past its {@code staleIfErrorDeadline} is answered from the stale entry while it still runs: it has not
 * answered at all. The outage's warning said {@code GET /slow/a answered 504}, the status the cache gives such an
 * answer in {@code fwd-status}, as if the servlet had failed with a gateway timeout. The servlet is held until the
 * client has its answer, so only the deadline can have answered it; nothing is timed.
 */
class DeadlineAnswerLoggedAsAnAnswered504Test {

    private final MutableClock clock = new MutableClock();
    private final ServletDeadlineTest.GatedServlet servlet = new ServletDeadlineTest.GatedServlet();
    private Container.Running app;

    @AfterEach
    void stop() {
        servlet.gate.countDown();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void outageWarningSaysTheServletPassedItsDeadline() throws Exception {
        app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/slow/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "1")
                .servlet("slow", servlet, "/slow/*"));
        assertEquals("/slow/a call 1", app.get("/slow/a").body());
        clock.advance(Duration.ofSeconds(61));
        servlet.gated = true;
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            HttpResponse<String> stale = app.get("/slow/a");
            assertTrue(servlet.entered.await(30, TimeUnit.SECONDS), "the servlet was running");
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("/slow/a call 1", stale.body());
            String expected = "GET /slow/a did not answer within its staleIfErrorDeadline (1000 ms); serving the"
                    + " stale entry (stale-if-error) until it answers again";
            Eventually.until(() -> log.messagesAtLeast(Level.WARNING).contains(expected), Duration.ofSeconds(30),
                    () -> log.messagesAtLeast(Level.WARNING).toString());
            assertEquals(List.of(expected), log.messagesAtLeast(Level.WARNING));
        }
    }
}
