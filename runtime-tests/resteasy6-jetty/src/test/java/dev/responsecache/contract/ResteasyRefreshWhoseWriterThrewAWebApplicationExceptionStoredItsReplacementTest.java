package dev.responsecache.contract;

import static dev.responsecache.contract.StaleRefreshOnResteasy.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.contract.MidPageRefreshFailure.PageApplication;
import dev.responsecache.contract.MidPageRefreshFailure.PageState;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RESTEasy sibling of {@code RefreshWhoseWriterThrewAWebApplicationExceptionStoredItsReplacementTest}: a refresh
 * whose message body writer throws a {@code WebApplicationException} with a response of its own (a 200 with another
 * entity) within {@code max-body-size}, inline (no initializer ran) or after the stale answer by the library's runner.
 * Counted as a failed refresh, the replacement must not be stored in the page's place. Real Jetty, real RESTEasy, the
 * clock injected.
 */
class ResteasyRefreshWhoseWriterThrewAWebApplicationExceptionStoredItsReplacementTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void refreshWhoseWriterThrewAWebApplicationExceptionWithAResponseStoresNothing(boolean runner) throws Exception {
        PageState state = new PageState(
                () -> new WebApplicationException(Response.ok("replacement", MediaType.TEXT_PLAIN).build()));
        try (StaleRefreshOnResteasy app = new StaleRefreshOnResteasy(PageApplication.class, state, runner)) {
            assertEquals("page 1", app.get().body());
            app.pageGoesStale();
            state.breakAfter = 100;
            app.getWhileTheRefreshFails();
            awaitUntil(() -> app.failures("WebApplicationException") >= 1, "the failed refresh is counted");
            for (int i = 0; i < 3; i++) {
                // Inline, the client of a refresh gets the runtime's answer, the replacement; never as a hit.
                HttpResponse<String> next = app.get();
                assertNotEquals("HIT replacement", next.headers().firstValue("X-Cache").orElse("none") + " "
                        + next.body(), "the replacement was stored (runner: " + runner + ")");
            }

            state.breakAfter = -1;
            awaitUntil(() -> {
                HttpResponse<String> next = app.getUnchecked();
                return "HIT".equals(next.headers().firstValue("X-Cache").orElse(""))
                        && next.body().startsWith("page ");
            }, "the page was never stored again");
        }
    }
}
