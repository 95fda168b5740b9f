package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request header or cookie reaches a resource method through its resource class (a field, a constructor
 * parameter, a setter) or a {@code @BeanParam} as well as through its own parameters: each of them outside
 * {@code varyBy} keys the method's entries as if {@code varyBy} named it, and the start-up log names the method,
 * where it is read and the token. What {@code varyBy} keys (a header in any case), and {@code Authorization} on an
 * endpoint not shared across users, are keyed as before.
 */
class UnkeyedParameterPlacesTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Class<?> resource) {
        server = TestServer.jersey(new ResourceConfig(resource).register(ResponseCacheFeature.class)).start();
    }

    /** Starts {@code resource}, and returns what the start-up logged at INFO or above. */
    private List<String> startLogged(Class<?> resource) {
        Logger logger = Logger.getLogger("dev.responsecache");
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            start(resource);
            return log.messagesAtLeast(Level.INFO);
        } finally {
            logger.setLevel(level);
        }
    }

    /** Two clients apart in {@code header} each get their own answer, and the first's second request hits. */
    private void assertKeyedOn(String path, String header, String first, String second, String prefix) {
        assertKeyedOn(path, header, first, second, prefix + first, prefix + second);
    }

    private void assertKeyedOn(String path, String header, String first, String second, String firstBody,
                               String secondBody) {
        assertEquals(firstBody, server.getText(path, header, first).body());
        HttpResponse<String> other = server.getText(path, header, second);
        assertEquals(secondBody, other.body(), "X-Cache: " + other.headers().firstValue("X-Cache").orElse(""));
        HttpResponse<String> again = server.getText(path, header, first);
        assertEquals(firstBody, again.body());
        assertEquals("HIT", again.headers().firstValue("X-Cache").orElseThrow());
    }

    private static void assertLoggedOnce(List<String> messages, String... parts) {
        List<String> naming = messages.stream().filter(m -> Arrays.stream(parts).allMatch(m::contains)).toList();
        assertEquals(1, naming.size(), messages.toString());
    }

    @Test
    void headerInAFieldOfTheResourceClassKeysTheEntries() {
        List<String> logged = startLogged(TenantField.class);
        assertKeyedOn("/api/field", "X-Tenant", "acme", "globex", "report of ");
        assertLoggedOnce(logged, TenantField.class.getName() + "#get", "field tenant", "\"header:X-Tenant\"",
                "name it in varyBy");
    }

    @Test
    void headerInAConstructorParameterKeysTheEntries() {
        List<String> logged = startLogged(TenantConstructor.class);
        assertKeyedOn("/api/constructor", "X-Tenant", "acme", "globex", "report of ");
        assertLoggedOnce(logged, "constructor of TenantConstructor", "\"header:X-Tenant\"");
    }

    @Test
    void headerThroughASetterKeysTheEntries() {
        List<String> logged = startLogged(TenantSetter.class);
        assertKeyedOn("/api/setter", "X-Tenant", "acme", "globex", "report of ");
        assertLoggedOnce(logged, "setter setTenant", "\"header:X-Tenant\"");
    }

    @Test
    void cookieInABeanParameterKeysTheEntries() {
        List<String> logged = startLogged(UserBean.class);
        assertKeyedOn("/api/bean", "Cookie", "uid=alice", "uid=bob", "hello alice", "hello bob");
        assertLoggedOnce(logged, "field user of UserCookie", "\"cookie:uid\"");
    }

    @Test
    void authorizationOfAnEndpointSharedAcrossUsersKeysTheEntries() {
        List<String> logged = startLogged(SharedAuthorization.class);
        assertKeyedOn("/api/shared", "Authorization", "Bearer a", "Bearer b", "token ");
        assertLoggedOnce(logged, "\"header:Authorization\"");
    }

    @Test
    void headerKeyedThisWayIsNamedInTheVarySentDownstream() {
        start(TenantField.class);
        HttpResponse<String> miss = server.getText("/api/field", "X-Tenant", "acme");
        assertTrue(miss.headers().allValues("Vary").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT)
                .contains("x-tenant")), miss.headers().map().toString());
        HttpResponse<String> hit = server.getText("/api/field", "X-Tenant", "acme");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(hit.headers().allValues("Vary").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT)
                .contains("x-tenant")), hit.headers().map().toString());
    }

    @Test
    void conditionalHeaderAMethodReadsKeysItsEntriesSinceAMissHandsItOn() {
        List<String> logged = startLogged(Conditional.class);
        assertEquals("etag \"x\"", server.getText("/api/conditional", "If-None-Match", "\"x\"").body());
        HttpResponse<String> plain = server.getText("/api/conditional");
        assertEquals("etag null", plain.body());
        assertEquals("HIT", server.getText("/api/conditional").headers().firstValue("X-Cache").orElseThrow());
        assertTrue(logged.stream().anyMatch(m -> m.contains("header:If-None-Match")), logged.toString());
    }

    @Test
    void preconditionsTheCacheLeavesToTheMethodAreNotKeyed() {
        List<String> logged = startLogged(Preconditioned.class);
        assertEquals("if-match null", server.getText("/api/preconditioned").body());
        assertEquals("HIT", server.getText("/api/preconditioned").headers().firstValue("X-Cache").orElseThrow());
        assertTrue(logged.stream().noneMatch(m -> m.contains("Preconditioned")), logged.toString());
    }

    @Test
    void headerKeyedInAnotherCaseStartsAndKeysEachTenant() {
        start(KeyedTenant.class);
        assertEquals("report of acme", server.getText("/api/keyed", "X-Tenant", "acme").body());
        HttpResponse<String> globex = server.getText("/api/keyed", "X-Tenant", "globex");
        assertEquals("report of globex", globex.body());
        assertEquals("HIT", server.getText("/api/keyed", "X-Tenant", "acme").headers().firstValue("X-Cache")
                .orElseThrow());
    }

    @Test
    void authorizationOfAnEndpointNotSharedStartsAndIsNeverAnsweredFromTheCache() {
        start(PrivateAuthorization.class);
        server.getText("/api/private", "Authorization", "Bearer a");
        HttpResponse<String> other = server.getText("/api/private", "Authorization", "Bearer b");
        assertEquals("token Bearer b", other.body(), "X-Cache: " + other.headers().firstValue("X-Cache").orElse(""));
    }

    @Test
    void headerOfAnotherResourceMethodOfTheClassIsNotTakenForThisOnes() {
        start(TwoMethods.class);
        assertEquals("plain", server.getText("/api/two/plain", "X-Tenant", "acme").body());
        assertEquals("raw report of acme", server.getText("/api/two/raw", "X-Tenant", "acme").body());
    }

    @Test
    void headersReadThroughHttpHeadersAreNotSeenAndStart() {
        start(ThroughHttpHeaders.class);
        assertEquals("report of acme", server.getText("/api/headers", "X-Tenant", "acme").body());
    }

    @Path("field")
    public static final class TenantField {
        @HeaderParam("X-Tenant")
        private String tenant;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get() {
            return "report of " + tenant;
        }
    }

    @Path("constructor")
    public static final class TenantConstructor {
        private final String tenant;

        public TenantConstructor(@HeaderParam("X-Tenant") String tenant) {
            this.tenant = tenant;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get() {
            return "report of " + tenant;
        }
    }

    @Path("setter")
    public static final class TenantSetter {
        private String tenant;

        @HeaderParam("X-Tenant")
        public void setTenant(String tenant) {
            this.tenant = tenant;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get() {
            return "report of " + tenant;
        }
    }

    public static final class UserCookie {
        @CookieParam("uid")
        public String user;
    }

    @Path("bean")
    public static final class UserBean {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@BeanParam UserCookie cookie) {
            return "hello " + cookie.user;
        }
    }

    @Path("shared")
    public static final class SharedAuthorization {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, sharedAcrossUsers = true)
        public String get(@HeaderParam("Authorization") String token) {
            return "token " + token;
        }
    }

    @Path("conditional")
    public static final class Conditional {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@HeaderParam("If-None-Match") String etag, @HeaderParam("If-Modified-Since") String since,
                          @HeaderParam("Range") String range) {
            return "etag " + etag;
        }
    }

    @Path("preconditioned")
    public static final class Preconditioned {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@HeaderParam("If-Match") String match, @HeaderParam("If-Unmodified-Since") String since) {
            return "if-match " + match;
        }
    }

    @Path("keyed")
    public static final class KeyedTenant {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "header:x-tenant")
        public String get(@HeaderParam("X-Tenant") String tenant) {
            return "report of " + tenant;
        }
    }

    @Path("private")
    public static final class PrivateAuthorization {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@HeaderParam("Authorization") String token) {
            return "token " + token;
        }
    }

    /** The second method's own parameter (its method is @Encoded, as a setter might be) is no concern of the first. */
    @Path("two")
    public static final class TwoMethods {
        @GET
        @Path("plain")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String plain() {
            return "plain";
        }

        @GET
        @Path("raw")
        @Encoded
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "header:X-Tenant")
        public String raw(@HeaderParam("X-Tenant") String tenant) {
            return "raw report of " + tenant;
        }
    }

    @Path("headers")
    public static final class ThroughHttpHeaders {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@Context HttpHeaders headers) {
            return "report of " + headers.getHeaderString("X-Tenant");
        }
    }
}
