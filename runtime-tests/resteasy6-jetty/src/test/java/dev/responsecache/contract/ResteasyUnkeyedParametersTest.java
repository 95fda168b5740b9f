package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import org.jboss.resteasy.annotations.Form;
import org.jboss.resteasy.annotations.jaxrs.CookieParam;
import org.jboss.resteasy.annotations.jaxrs.HeaderParam;
import org.junit.jupiter.api.Test;

/**
 * RESTEasy's own parameter annotations hand a method a header or cookie as the standard ones do, inside its
 * {@code @Form} classes the standard ones do too: outside {@code varyBy} they key the method's entries as well.
 */
class ResteasyUnkeyedParametersTest {

    private static void assertKeyedOn(Class<? extends Application> application, String path, String header,
                                      String first, String second, String firstBody, String secondBody)
            throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(application),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(firstBody, send(client, app, path, header, first).body());
            HttpResponse<String> other = send(client, app, path, header, second);
            assertEquals(secondBody, other.body(), "X-Cache: " + other.headers().firstValue("X-Cache").orElse(""));
            HttpResponse<String> again = send(client, app, path, header, first);
            assertEquals(firstBody, again.body());
            assertEquals("HIT", again.headers().firstValue("X-Cache").orElse("none"));
        }
    }

    private static HttpResponse<String> send(HttpClient client, Container.Deployed app, String path, String header,
                                             String value) throws Exception {
        return client.send(HttpRequest.newBuilder(app.base().resolve(path)).header(header, value)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void resteasyHeaderParameterOutsideVaryByKeysEachTenant() throws Exception {
        assertKeyedOn(TenantApplication.class, "/api/report", "X-Tenant", "acme", "globex", "report of acme",
                "report of globex");
    }

    @Test
    void resteasyCookieParameterInAFormClassOutsideVaryByKeysEachUser() throws Exception {
        assertKeyedOn(UserApplication.class, "/api/greeting", "Cookie", "uid=alice", "uid=bob", "hello alice",
                "hello bob");
    }

    @Test
    void resteasyCookieParameterOutsideVaryByKeysEachUser() throws Exception {
        assertKeyedOn(UserApplication.class, "/api/cookie", "Cookie", "uid=alice", "uid=bob", "hello alice",
                "hello bob");
    }

    public static class TenantApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, TenantReport.class);
        }
    }

    public static class UserApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, UserGreeting.class, UserCookie.class);
        }
    }

    @Path("report")
    public static class TenantReport {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@HeaderParam("X-Tenant") String tenant) {
            return "report of " + tenant;
        }
    }

    /** RESTEasy 6 injects the standard annotations into a {@code @Form} field (its own ones stay null there). */
    public static class UserForm {
        @jakarta.ws.rs.CookieParam("uid")
        public String user;
    }

    @Path("greeting")
    public static class UserGreeting {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@Form UserForm form) {
            return "hello " + form.user;
        }
    }

    @Path("cookie")
    public static class UserCookie {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@CookieParam("uid") String user) {
            return "hello " + user;
        }
    }
}
