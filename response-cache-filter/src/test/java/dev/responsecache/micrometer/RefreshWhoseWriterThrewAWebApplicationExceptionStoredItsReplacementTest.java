package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.micrometer.RefreshWhoseWriterThrowsMidPage.Deployment;
import dev.responsecache.micrometer.RefreshWhoseWriterThrowsMidPage.Refresh;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JAX-RS refresh whose message body writer throws a {@code WebApplicationException} with a response of its own (a
 * 200 with another entity) within {@code max-body-size}, where nothing is committed: Jersey answers with that response,
 * passed through the cache's filters again for the same lookup. The refresh was counted as failed, and the replacement
 * stored all the same, answering every request as a hit for the whole ttl. A refresh counted as failed stores nothing:
 * the stale entry answers on and the next stale request refreshes again. Inline and after the stale answer; real
 * Jetty, real Jersey, the clock injected.
 */
class RefreshWhoseWriterThrewAWebApplicationExceptionStoredItsReplacementTest {

    @ParameterizedTest
    @EnumSource(Refresh.class)
    void refreshWhoseWriterThrewAWebApplicationExceptionWithAResponseStoresNothing(Refresh refresh) {
        try (Deployment page = RefreshWhoseWriterThrowsMidPage.deploy(Container.JETTY, refresh, 100,
                () -> new WebApplicationException(Response.ok("replacement", "text/plain").build()))) {
            RefreshWhoseWriterThrowsMidPage.failOneRefresh(page, "WebApplicationException");
            String which = page.which();
            for (int i = 0; i < 3; i++) {
                // Inline, the client of a refresh gets the runtime's answer, the replacement; never as a hit.
                HttpResponse<String> next = page.server().get("/api/page");
                assertNotEquals("HIT " + "replacement", next.headers().firstValue("X-Cache").orElse("none") + " "
                        + next.body(), which + ": the replacement was stored");
            }
            page.writer().failing = false;
            Eventually.until(() -> {
                HttpResponse<String> next = page.server().get("/api/page");
                return "HIT".equals(next.headers().firstValue("X-Cache").orElse("none"))
                        && next.body().startsWith("page ");
            }, RefreshWhoseWriterThrowsMidPage.WAIT, () -> which + ": the page was never stored again");
        }
    }
}
