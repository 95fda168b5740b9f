package dev.responsecache.contract;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

import java.util.Set;

/** A cached method handed a request header its {@code varyBy} does not name: it is keyed on it as if
 * {@code varyBy} named it. */
public class UnkeyedHeaderApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, TenantReport.class);
    }

    /** One tenant's report, cached without the tenant in its varyBy. */
    @Path("report")
    public static class TenantReport {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@HeaderParam("X-Tenant") String tenant) {
            return "report of " + tenant;
        }
    }
}
