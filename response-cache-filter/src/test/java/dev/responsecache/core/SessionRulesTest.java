package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** When a request carrying a container session may share entries, as a table. */
class SessionRulesTest {

    private static boolean bypasses(boolean session, String principal, boolean shared, String... varyBy) {
        CachePolicy policy = new CachePolicy(Duration.ofSeconds(60),
                Arrays.stream(varyBy).map(VaryToken::parse).toList(), Set.of(200), shared);
        FakeRequest request = FakeRequest.get("/p", null).withPrincipal(principal);
        return SessionRules.bypasses(new WithSession(request, session), policy);
    }

    @Test
    void aSessionIsSharedOnlyWhenThePolicySaysHow() {
        assertEquals(false, bypasses(false, null, false));
        assertEquals(true, bypasses(true, null, false));
        assertEquals(true, bypasses(true, null, false, "cookie:lang"));
        assertEquals(false, bypasses(true, null, true));
        assertEquals(false, bypasses(true, null, false, "cookie:JSESSIONID"));
        assertEquals(false, bypasses(true, "alice", false, "principal"));
        assertEquals(true, bypasses(true, null, false, "principal"), "a session without a user is not a user");
    }

    @Test
    void aRequestNamesASessionByACookieOfItsNameOrAPathParameterInAnyCase() {
        assertEquals(false, SessionRules.named(null, "/p", "JSESSIONID"));
        assertEquals(true, SessionRules.named("JSESSIONID=a", "/p", "JSESSIONID"));
        assertEquals(true, SessionRules.named("lang=en; jsessionid=a", "/p", "JSESSIONID"));
        assertEquals(true, SessionRules.named("lang=en,JSessionId =a", "/p", "JSESSIONID"), "joined headers");
        assertEquals(true, SessionRules.named("$Version=1; JSESSIONID=\"a\"; $Path=/", "/p", "JSESSIONID"));
        assertEquals(true, SessionRules.named("JSESSIONID=", "/p", "JSESSIONID"), "an empty id is still requested");
        assertEquals(false, SessionRules.named("xJSESSIONID=a; JSESSIONIDx=b; lang=JSESSIONID", "/p", "JSESSIONID"));
        assertEquals(false, SessionRules.named("JSESSIONID", "/p", "JSESSIONID"), "a name without a value");
        assertEquals(true, SessionRules.named("SID=a", "/p", "SID"), "the configured name");
        assertEquals(false, SessionRules.named("JSESSIONID=a", "/p", "SID"));
        assertEquals(true, SessionRules.named(null, "/p;jsessionid=a", "JSESSIONID"));
        assertEquals(true, SessionRules.named(null, "/a;JSESSIONID=a/p", "JSESSIONID"));
        assertEquals(true, SessionRules.named(null, "/p;sid=a", "SID"), "Tomcat names it after the cookie");
        assertEquals(true, SessionRules.named(null, "/p;v=1;jsessionid=a", "SID"));
        assertEquals(false, SessionRules.named(null, "/p;v=1;jsessionidx=a;jsessionid", "JSESSIONID"));
        assertEquals(false, SessionRules.named(null, null, "JSESSIONID"));
        assertEquals(true, SessionRules.named("lang=en", "/p", null), "any cookie when the name is not known");
        assertEquals(true, SessionRules.named(null, "/p;v=1", null));
        assertEquals(false, SessionRules.named(null, "/p", null));
    }

    @Test
    void sessionCookieSentTwiceOrBesideAPathIdDoesNotNameTheSessionAlone() {
        assertEquals(true, SessionRules.namedByCookieOnly("lang=en; JSESSIONID=a", "/p", "JSESSIONID"));
        assertEquals(false, SessionRules.namedByCookieOnly("JSESSIONID=a; JSESSIONID=b", "/p", "JSESSIONID"));
        assertEquals(false, SessionRules.namedByCookieOnly("JSESSIONID=a; jsessionid=b", "/p", "JSESSIONID"));
        assertEquals(false, SessionRules.namedByCookieOnly("JSESSIONID=a,JSESSIONID=b", "/p", "JSESSIONID"));
        assertEquals(false, SessionRules.namedByCookieOnly("JSESSIONID=a", "/p;jsessionid=b", "JSESSIONID"));
        assertEquals(false, SessionRules.namedByCookieOnly("lang=en", "/p", "JSESSIONID"));
        assertEquals(false, SessionRules.namedByCookieOnly(null, "/p", "JSESSIONID"));
        assertEquals(true, CacheRequest.requestedIdNames("node0abc.node0", "node0abc"), "Jetty's node suffix");
        assertEquals(false, CacheRequest.requestedIdNames("node0abc.node0", "node0xyz"), "a changed id");
        assertEquals(false, CacheRequest.requestedIdNames("node0abcd", "node0abc"));
        assertEquals(false, CacheRequest.requestedIdNames(null, "node0abc"));
    }

    /** A request that carries a session or not, otherwise the given one. */
    private record WithSession(FakeRequest request, boolean session) implements ForwardingRequest {
        @Override
        public boolean carriesSession() {
            return session;
        }
    }
}
