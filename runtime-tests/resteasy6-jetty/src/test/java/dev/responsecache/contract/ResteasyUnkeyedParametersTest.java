package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

import java.util.Set;

import org.jboss.resteasy.annotations.Form;
import org.jboss.resteasy.annotations.jaxrs.CookieParam;
import org.jboss.resteasy.annotations.jaxrs.HeaderParam;
import org.junit.jupiter.api.Test;

/**
 * RESTEasy's own parameter annotations hand a method a header or cookie as the standard ones do, inside its
 * {@code @Form} classes too: outside {@code varyBy} they fail the start-up as well.
 */
class ResteasyUnkeyedParametersTest {

    private static String refusal(Class<? extends Application> application) {
        Exception failure = assertThrows(Exception.class, () -> new JettyEe10()
                .deploy(new WebApp().jaxrs(application), JaxrsRuntime.resteasy()).close());
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    @Test
    void resteasyHeaderParameterOutsideTheKeyFailsTheStart() {
        String messages = refusal(TenantApplication.class);
        assertTrue(messages.contains("\"header:X-Tenant\""), messages);
    }

    @Test
    void resteasyCookieParameterInAFormClassOutsideTheKeyFailsTheStart() {
        String messages = refusal(UserApplication.class);
        assertTrue(messages.contains("field user of UserForm") && messages.contains("\"cookie:uid\""), messages);
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
            return Set.of(ResponseCacheFeature.class, UserGreeting.class);
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

    public static class UserForm {
        @CookieParam("uid")
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
}
