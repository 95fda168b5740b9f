package dev.responsecache.contract;

import static dev.responsecache.contract.StaleRefreshOnResteasy.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.contract.ResteasyRefreshWhoseMethodThrewAnUnmappedExceptionTest.PageState;
import dev.responsecache.contract.ResteasyRefreshWhoseMethodThrewAnUnmappedExceptionTest.ThrowingPageApplication;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/**
 * A stale-while-revalidate refresh the library's runner runs after the stale answer, whose resource method throws an
 * exception no {@code ExceptionMapper} handles: RESTEasy answers it with a 500 through the response filters, which the
 * stale entry replaces (stale-if-error). That replacement reaches no client, so it was wrongly counted in
 * {@code responsecache.requests} as outcome {@code stale}, reason {@code error}, once per failed refresh. A refresh is
 * not a client request: {@code responsecache.requests} counts each client request once, and nothing more. Real Jetty,
 * real RESTEasy, the clock injected.
 */
class ResteasyRefreshWhoseMethodThrewWasCountedAsAStaleAnswerTest {

    @Test
    void failedRefreshesAfterTheAnswerAddNothingToTheRequestsCounted() throws Exception {
        PageState state = new PageState();
        try (StaleRefreshOnResteasy app = new StaleRefreshOnResteasy(ThrowingPageApplication.class, state, true)) {
            int[] clients = {0};
            assertEquals("page 1", app.get().body());
            clients[0]++;
            app.pageGoesStale();
            state.failing = true;

            HttpResponse<String> first = app.get();
            clients[0]++;
            assertEquals("STALE", first.headers().firstValue("X-Cache").orElse("none"));
            // Each refresh ends (and is counted, if at all) before the key's claim lets the next stale answer start
            // another: two refreshes more have failed once a request has started a third.
            awaitUntil(() -> {
                HttpResponse<String> next = app.getUnchecked();
                clients[0]++;
                assertEquals("page 1", next.body());
                return state.calls.get() >= 4;
            }, "the failed refreshes kept the key's claim");
            state.failing = false;
            awaitUntil(() -> {
                HttpResponse<String> next = app.getUnchecked();
                clients[0]++;
                return "HIT".equals(next.headers().firstValue("X-Cache").orElse(""));
            }, "the successful refresh was never stored");

            // A hit the runtime writes is counted as its request leaves the runner, a moment after the client read it.
            awaitUntil(() -> app.requests() >= clients[0], "a client request was never counted");
            assertEquals(0, app.requests("stale", "error"), "a failed refresh was counted as a stale answer");
            assertEquals(1, app.requests("miss", "uri-miss"));
            assertEquals(clients[0], app.requests(), "responsecache.requests does not count each client once");
        }
    }
}
