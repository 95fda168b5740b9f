package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.net.http.HttpResponse;
import java.security.Principal;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One user's response never reaches another user, and the application's own access control is never bypassed. */
class CredentialsTest {

    private final CountingResource resource = new CountingResource();
    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig()
                .register(resource)
                .register(TokenFilter.class)
                .register(ResponseCacheFeature.class);
        server = TestServer.jersey(app).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void authorizationHeaderRequestsAreNeitherServedNorStored() {
        HttpResponse<String> alice = server.getText("/api/account", "Authorization", "Token alice");
        HttpResponse<String> bob = server.getText("/api/account", "Authorization", "Token bob");
        assertTrue(alice.body().startsWith("account of alice"));
        assertTrue(bob.body().startsWith("account of bob"), bob.body());
        assertEquals("ResponseCache; fwd=bypass; detail=credentials",
                bob.headers().firstValue("Cache-Status").orElseThrow());
        HttpResponse<String> anonymous = server.getText("/api/account");
        assertEquals("MISS", cacheHeader(anonymous), "nothing was stored by the authenticated requests");
        assertTrue(anonymous.body().startsWith("account of anonymous"));
    }

    @Test
    void anonymousEntryIsNeverServedToAnAuthenticatedRequest() {
        server.getText("/api/account");
        assertEquals("HIT", cacheHeader(server.getText("/api/account")));
        HttpResponse<String> alice = server.getText("/api/account", "Authorization", "Token alice");
        assertEquals("MISS", cacheHeader(alice));
        assertTrue(alice.body().startsWith("account of alice"));
    }

    @Test
    void varyByPrincipalKeepsOneEntryPerUser() {
        server.getText("/api/me", "Authorization", "Token alice");
        HttpResponse<String> aliceAgain = server.getText("/api/me", "Authorization", "Token alice");
        HttpResponse<String> bob = server.getText("/api/me", "Authorization", "Token bob");
        assertEquals("HIT", cacheHeader(aliceAgain));
        assertTrue(aliceAgain.body().startsWith("hello alice"));
        assertEquals("MISS", cacheHeader(bob));
        assertTrue(bob.body().startsWith("hello bob"));
    }

    @Test
    void sharedAcrossUsersServesEveryone() {
        server.getText("/api/everyone", "Authorization", "Token alice");
        HttpResponse<String> bob = server.getText("/api/everyone", "Authorization", "Token bob");
        HttpResponse<String> anonymous = server.getText("/api/everyone");
        assertEquals("HIT", cacheHeader(bob));
        assertEquals("HIT", cacheHeader(anonymous));
        assertEquals(1, resource.calls.get());
    }

    @Test
    void applicationAuthFilterIsNeverBypassedByAHit() {
        server.getText("/api/everyone", "Authorization", "Token alice");
        HttpResponse<String> rejected = server.getText("/api/everyone", "Authorization", "Token mallory");
        assertEquals(403, rejected.statusCode(), "the application's filter runs before any cached answer");
        assertEquals("none", cacheHeader(rejected));
        assertEquals(1, resource.calls.get());
    }

    /**
     * The application's authentication: {@code Token <name>} logs in; {@code mallory} is refused. Registered without
     * a priority on purpose: the default (USER) must still run before the cache's lookup.
     */
    public static final class TokenFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String authorization = request.getHeaderString("Authorization");
            if (authorization == null) {
                return;
            }
            String user = authorization.substring("Token ".length());
            if (user.equals("mallory")) {
                request.abortWith(Response.status(403).entity("forbidden").build());
                return;
            }
            request.setSecurityContext(new User(user));
        }
    }

    /** A user a test filter sets, with no roles. */
    record User(String name) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return () -> name;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Token";
        }
    }
}
