package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.annotation.CacheResponse;
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

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request header or cookie reaches a resource method through its resource class (a field, a constructor
 * parameter, a setter) or a {@code @BeanParam} as well as through its own parameters: each of them outside
 * {@code varyBy} fails the start-up, naming the method, where it is read and the token to add. What {@code varyBy}
 * keys (a header in any case), and {@code Authorization} on an endpoint not shared across users, start.
 */
class UnkeyedParameterPlacesTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String refusal(Class<?> resource) {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> TestServer.jersey(
                new ResourceConfig(resource).register(ResponseCacheFeature.class)).start().close());
        Throwable cause = refused;
        while (cause != null && !(cause instanceof ResponseCacheConfigException)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            throw refused;
        }
        return cause.getMessage();
    }

    private void start(Class<?> resource) {
        server = TestServer.jersey(new ResourceConfig(resource).register(ResponseCacheFeature.class)).start();
    }

    @Test
    void headerInAFieldOfTheResourceClassFailsTheStartUp() {
        String message = refusal(TenantField.class);
        assertTrue(message.contains(TenantField.class.getName() + "#get"), message);
        assertTrue(message.contains("field tenant"), message);
        assertTrue(message.contains("\"header:X-Tenant\""), message);
    }

    @Test
    void headerInAConstructorParameterFailsTheStartUp() {
        String message = refusal(TenantConstructor.class);
        assertTrue(message.contains("constructor of TenantConstructor"), message);
        assertTrue(message.contains("\"header:X-Tenant\""), message);
    }

    @Test
    void headerThroughASetterFailsTheStartUp() {
        String message = refusal(TenantSetter.class);
        assertTrue(message.contains("setter setTenant"), message);
        assertTrue(message.contains("\"header:X-Tenant\""), message);
    }

    @Test
    void cookieInABeanParameterFailsTheStartUp() {
        String message = refusal(UserBean.class);
        assertTrue(message.contains("field user of UserCookie"), message);
        assertTrue(message.contains("\"cookie:uid\""), message);
    }

    @Test
    void authorizationOfAnEndpointSharedAcrossUsersFailsTheStartUp() {
        String message = refusal(SharedAuthorization.class);
        assertTrue(message.contains("\"header:Authorization\""), message);
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
