package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime may route one URL to different cached resource methods by what the request says besides its path and
 * query (its {@code Content-Type}, a header a sub-resource locator dispatches on): each method's response must answer
 * only requests routed to that method.
 */
class MethodsSharingAPathTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(ByContentType.class).register(Versioned.class)
                .register(Dashboard.class).register(RoleFromHeader.class).register(ResponseCacheFeature.class))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Two GET methods of one path that Jersey selects between by {@code @Consumes}. */
    @Test
    void getMethodsSelectedByContentTypeDoNotAnswerEachOther() {
        HttpResponse<String> json = server.getText("/api/report", "Content-Type", "application/json");
        assertEquals("from-json-method", json.body());
        HttpResponse<String> csv = server.getText("/api/report", "Content-Type", "text/csv");
        assertEquals("from-csv-method", csv.body(),
                "X-Cache: " + csv.headers().firstValue("X-Cache").orElse("none"));
    }

    /** A sub-resource locator that picks the version's resource from a header (API versioning by header). */
    @Test
    void subResourcesALocatorChoosesByHeaderDoNotAnswerEachOther() {
        HttpResponse<String> v1 = server.getText("/api/versioned", "X-Api-Version", "1");
        assertEquals("version-1", v1.body());
        HttpResponse<String> v2 = server.getText("/api/versioned", "X-Api-Version", "2");
        assertEquals("version-2", v2.body(),
                "X-Cache: " + v2.headers().firstValue("X-Cache").orElse("none"));
    }

    /**
     * A locator that picks the view by the user's role, each view's method shared across the users that reach it:
     * the administrators' view must never answer a plain user.
     */
    @Test
    void viewsALocatorChoosesByRoleNeverAnswerUsersOfTheOtherRole() {
        HttpResponse<String> admin = server.getText("/api/dashboard", "X-Role", "admin");
        assertEquals("admin view: every account's balance", admin.body());
        HttpResponse<String> user = server.getText("/api/dashboard", "X-Role", "user");
        assertEquals("user view", user.body(), "X-Cache: " + user.headers().firstValue("X-Cache").orElse("none"));
    }

    /** Stands in for an authentication filter (before matching, so the locator sees the user): the role is a header. */
    @PreMatching
    public static final class RoleFromHeader implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String role = request.getHeaderString("X-Role");
            if (role == null) {
                return;
            }
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return () -> role + "-user";
                }

                @Override
                public boolean isUserInRole(String wanted) {
                    return wanted.equals(role);
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "header";
                }
            });
        }
    }

    @Path("dashboard")
    public static final class Dashboard {
        @Path("")
        public Object view(@Context SecurityContext security) {
            return security.isUserInRole("admin") ? new AdminView() : new UserView();
        }
    }

    public static final class AdminView {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, sharedAcrossUsers = true)
        public String get() {
            return "admin view: every account's balance";
        }
    }

    public static final class UserView {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, sharedAcrossUsers = true)
        public String get() {
            return "user view";
        }
    }

    @Path("report")
    public static final class ByContentType {
        @GET
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String json() {
            return "from-json-method";
        }

        @GET
        @Consumes("text/csv")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String csv() {
            return "from-csv-method";
        }
    }

    @Path("versioned")
    public static final class Versioned {
        @Path("")
        public Object version(@HeaderParam("X-Api-Version") String version) {
            return "2".equals(version) ? new VersionTwo() : new VersionOne();
        }
    }

    public static final class VersionOne {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get() {
            return "version-1";
        }
    }

    public static final class VersionTwo {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get() {
            return "version-2";
        }
    }
}
