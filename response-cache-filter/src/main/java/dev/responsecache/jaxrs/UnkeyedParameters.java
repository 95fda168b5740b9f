package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.VaryToken;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Refuses, as the application starts, a cached method that is handed a request header or cookie its key does not
 * hold ({@code @HeaderParam}, {@code @CookieParam}, RESTEasy's own, on a parameter, a field, a setter, a constructor
 * parameter or inside a {@code @BeanParam}): its answer to one tenant or user would be replayed to the next. The
 * message names the method, the parameter and the {@code varyBy} token that keys it. Path, query and matrix
 * parameters are in the key already; form parameters come from a body, and a GET with a body is never cached. What
 * the method reads through {@code @Context HttpHeaders} or the servlet request cannot be seen, and is not checked.
 */
final class UnkeyedParameters {

    private static final List<String> HEADERS = List.of("jakarta.ws.rs.HeaderParam",
            "org.jboss.resteasy.annotations.jaxrs.HeaderParam");
    private static final List<String> COOKIES = List.of("jakarta.ws.rs.CookieParam",
            "org.jboss.resteasy.annotations.jaxrs.CookieParam");

    private UnkeyedParameters() {
    }

    /** Throws when {@code method} reads a header or cookie that {@code policy} does not key on. */
    static void check(String owner, Method method, Class<?> resource, CachePolicy policy) {
        for (RequestInjections.Point point : RequestInjections.of(method, resource)) {
            for (String type : HEADERS) {
                Annotation header = point.annotation(type);
                if (header != null) {
                    String name = point.valueOf(header);
                    if (!keyed(policy, new VaryToken.Header(name)) && !authorizationKeptApart(name, policy)
                            && !inEveryKey(name)) {
                        throw refused(owner, point, "@HeaderParam(\"" + name + "\")", "header:" + name);
                    }
                }
            }
            for (String type : COOKIES) {
                Annotation cookie = point.annotation(type);
                if (cookie != null) {
                    String name = point.valueOf(cookie);
                    if (!keyed(policy, new VaryToken.Cookie(name))) {
                        throw refused(owner, point, "@CookieParam(\"" + name + "\")", "cookie:" + name);
                    }
                }
            }
        }
    }

    private static boolean keyed(CachePolicy policy, VaryToken token) {
        // Header names are lower-cased by VaryToken.Header; cookie names compare exactly, as cookie parsers do.
        return policy.varyBy().contains(token);
    }

    /** {@code X-Forwarded-Prefix}: every request that sends it is keyed on it, whatever the policy. */
    private static boolean inEveryKey(String header) {
        return "x-forwarded-prefix".equalsIgnoreCase(header);
    }

    /**
     * {@code Authorization} needs no token on an endpoint not shared across users in the annotation-ttl mode: a
     * request carrying it is either not cached at all or keyed on its user ({@code principal}).
     */
    private static boolean authorizationKeptApart(String header, CachePolicy policy) {
        return "authorization".equalsIgnoreCase(header) && !policy.sharedAcrossUsers() && !policy.ttlFromHeaders();
    }

    private static ResponseCacheConfigException refused(String owner, RequestInjections.Point point, String read,
                                                         String token) {
        return new ResponseCacheConfigException(owner + ": " + point.where() + " reads " + read
                + ", which the cache key does not hold, so one client's response would answer another's request:"
                + " add \"" + token + "\" to varyBy");
    }
}
