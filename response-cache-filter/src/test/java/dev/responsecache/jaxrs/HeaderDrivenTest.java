package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** {@code @CacheResponse(ttl = FROM_HEADERS)} on Jersey: the response's own Cache-Control says what is cached. */
class HeaderDrivenTest {

    private final MutableClock clock = new MutableClock();
    private final HeaderDrivenResource resource = new HeaderDrivenResource();

    private TestServer server(boolean everywhere) {
        return TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock)
                .property(ResponseCacheProperties.TTL_FROM_HEADERS, Boolean.toString(everywhere))).start();
    }

    @Test
    void staleEntryIsRevalidatedByRunningTheMethodWithItsValidatorsAndA304ServesTheStoredBody() {
        try (TestServer server = server(false)) {
            assertEquals("validated 1", server.getText("/api/h/validated").body());
            clock.advance(Duration.ofSeconds(61));
            HttpResponse<String> revalidated = server.getText("/api/h/validated");
            assertEquals(200, revalidated.statusCode());
            assertEquals("validated 1", revalidated.body());
            assertEquals("REVALIDATED", revalidated.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("2", revalidated.headers().firstValue("X-Validated").orElseThrow(), "the 304's headers");
            assertEquals("\"v1\"", revalidated.headers().firstValue("ETag").orElseThrow());
            assertEquals(List.of("null", "\"v1\""), resource.conditions);
            HttpResponse<String> hit = server.getText("/api/h/validated");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("validated 1", hit.body());
            assertEquals(2, resource.calls.get());
        }
    }

    @Test
    void aChangedResourceAnswersItsNewVersionAndReplacesTheEntry() {
        try (TestServer server = server(false)) {
            server.getText("/api/h/validated");
            clock.advance(Duration.ofSeconds(61));
            resource.version.set(2);
            HttpResponse<String> changed = server.getText("/api/h/validated");
            assertEquals("validated 2", changed.body());
            assertEquals("MISS", changed.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("validated 2", server.getText("/api/h/validated").body());
            assertEquals(2, resource.calls.get());
        }
    }

    @Test
    void clientsConditionalRequestRevalidatesTheStaleEntryWithItsValidatorsAndIsAnsweredFromIt() {
        try (TestServer server = server(false)) {
            server.getText("/api/h/validated");
            clock.advance(Duration.ofSeconds(61));
            HttpResponse<String> notModified = server.getText("/api/h/validated", "If-None-Match", "\"v1\"");
            assertEquals(304, notModified.statusCode());
            assertEquals("REVALIDATED", notModified.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(List.of("null", "\"v1\""), resource.conditions);
            HttpResponse<String> changedTag = server.getText("/api/h/validated", "If-None-Match", "\"v0\"");
            assertEquals(200, changedTag.statusCode(), "a tag the entry does not have");
            assertEquals("HIT", changedTag.headers().firstValue("X-Cache").orElseThrow(),
                    "the client's conditional request refreshed the entry");
            assertEquals(2, resource.calls.get());
        }
    }

    @Test
    void theAnnotationConstantIsTheCoreOne() {
        assertEquals(CachePolicy.TTL_FROM_HEADERS, CacheResponse.FROM_HEADERS);
    }

    @Test
    void maxAgeOfTheResponseIsItsTtlAndAgeIsReplayed() {
        try (TestServer server = server(false)) {
            assertEquals("max-age 1", server.getText("/api/h/max-age").body());
            clock.advance(Duration.ofSeconds(59));
            HttpResponse<String> hit = server.getText("/api/h/max-age");
            assertEquals("max-age 1", hit.body());
            assertEquals("59", hit.headers().firstValue("Age").orElseThrow());
            assertEquals("ResponseCache; hit; ttl=1", hit.headers().firstValue("Cache-Status").orElseThrow());
            clock.advance(Duration.ofSeconds(1));
            assertEquals("max-age 2", server.getText("/api/h/max-age").body());
        }
    }

    @Test
    void noStoreAndNoLifetimeAreNotStored() {
        try (TestServer server = server(false)) {
            server.getText("/api/h/no-store");
            assertEquals("no-store 2", server.getText("/api/h/no-store").body());
            HttpResponse<String> noStore = server.getText("/api/h/no-store");
            assertEquals("ResponseCache; fwd=uri-miss; detail=no-store",
                    noStore.headers().firstValue("Cache-Status").orElseThrow());
            server.getText("/api/h/silent");
            // No lifetime and no validator: nothing to store (no ETag is made up in this mode).
            assertEquals("silent 5", server.getText("/api/h/silent").body());
        }
    }

    @Test
    void authorizedRequestIsStoredOnlyWhenTheResponseSaysItIsShared() {
        try (TestServer server = server(false)) {
            server.getText("/api/h/shared", "Authorization", "Bearer a");
            assertEquals("shared 1", server.getText("/api/h/shared", "Authorization", "Bearer b").body());
            server.getText("/api/h/max-age", "Authorization", "Bearer a");
            assertEquals("max-age 3", server.getText("/api/h/max-age", "Authorization", "Bearer a").body());
        }
    }

    @Test
    void onlyIfCachedWithNothingStoredIsA504AndTheMethodDoesNotRun() {
        try (TestServer server = server(false)) {
            assertEquals(504, server.getText("/api/h/max-age", "Cache-Control", "only-if-cached").statusCode());
            assertEquals(0, resource.calls.get());
        }
    }

    @Test
    void theGlobalPropertyMakesEveryMethodHeaderDrivenWithItsTtlAsCap() {
        try (TestServer server = server(true)) {
            assertEquals("capped 1", server.getText("/api/h/capped").body());
            clock.advance(Duration.ofSeconds(9));
            assertEquals("capped 1", server.getText("/api/h/capped").body());
            clock.advance(Duration.ofSeconds(1));
            assertEquals("capped 2", server.getText("/api/h/capped").body());
        }
    }

    @Test
    void theGlobalPropertyTakesAShorterMaxAgeOverTheTtl() {
        try (TestServer server = server(true)) {
            assertEquals("short 1", server.getText("/api/h/short").body());
            clock.advance(Duration.ofSeconds(4));
            assertEquals("short 1", server.getText("/api/h/short").body());
            clock.advance(Duration.ofSeconds(1));
            assertEquals("short 2", server.getText("/api/h/short").body());
        }
    }

    @Test
    void annotationTtlModeIgnoresTheResponseMaxAgeAsBefore() {
        try (TestServer server = server(false)) {
            assertEquals("short 1", server.getText("/api/h/short").body());
            clock.advance(Duration.ofSeconds(9));
            assertEquals("short 1", server.getText("/api/h/short").body());
            clock.advance(Duration.ofSeconds(1));
            assertEquals("short 2", server.getText("/api/h/short").body());
        }
    }
}
