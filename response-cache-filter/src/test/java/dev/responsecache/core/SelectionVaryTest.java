package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The Vary every response of a cached endpoint tells downstream caches, as a table. */
class SelectionVaryTest {

    private static final FakeRequest REQUEST = FakeRequest.get("/p", null);

    private static String merged(List<String> application, boolean followsAccept, String... varyBy) {
        List<VaryToken> tokens = java.util.Arrays.stream(varyBy).map(VaryToken::parse).toList();
        CacheRequest request = followsAccept ? REQUEST : new SingleType(REQUEST);
        Lookup lookup = new Lookup(Lookup.Outcome.MISS, "uri-miss", request,
                new CachePolicy(Duration.ofSeconds(60), tokens, Set.of(200), false), "k", null, 0, null);
        return SelectionVary.merged(lookup, application);
    }

    @Test
    void namesEveryRequestPartTheKeyDependsOn() {
        assertEquals("Accept", merged(null, true));
        assertNull(merged(null, false));
        assertEquals("Accept-Language", merged(null, false, "header:Accept-Language"));
        assertEquals("Accept, X-Tenant", merged(List.of(), true, "header:x-tenant"));
        assertEquals("Cookie", merged(null, false, "cookie:lang", "cookie:theme"));
        assertEquals("Authorization, Cookie", merged(null, false, "principal", "cookie:lang"));
    }

    @Test
    void applicationVaryComesFirstAndNamesAreNotRepeated() {
        assertEquals("Origin, accept-language", merged(List.of("Origin", "accept-language"), false,
                "header:Accept-Language"));
        assertEquals("Accept-Encoding, Origin, Accept-Language",
                merged(List.of("Accept-Encoding, Origin", " "), false, "header:Accept-Language"));
    }

    @Test
    void varyStarIsLeftAlone() {
        assertNull(merged(List.of("Origin, *"), true, "header:Accept-Language"));
    }

    /** A request for an endpoint that produces one type. */
    private record SingleType(FakeRequest request) implements ForwardingRequest {
        @Override
        public boolean representationFollowsAccept() {
            return false;
        }
    }
}
