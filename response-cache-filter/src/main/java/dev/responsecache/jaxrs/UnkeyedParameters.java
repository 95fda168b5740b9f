package dev.responsecache.jaxrs;

import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.VaryToken;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys, as the application starts, a cached method on each request header and cookie it is handed and its
 * {@code varyBy} does not name ({@code @HeaderParam}, {@code @CookieParam}, RESTEasy's own, on a parameter, a field, a
 * setter, a constructor parameter or inside a {@code @BeanParam}): outside the key, its answer to one tenant or user
 * would be replayed to the next. The token is added to the policy's {@code varyBy}, so it keys every lookup of the
 * method's entries and is named in the {@code Vary} sent downstream, as one the application wrote; the start-up log
 * says so once per method. Path, query and matrix parameters are in the key already; form parameters come from a
 * body, and a GET with a body is never cached. What the method reads through {@code @Context HttpHeaders} or the
 * servlet request cannot be seen, and is not keyed.
 */
final class UnkeyedParameters {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");

    private static final List<String> HEADERS = List.of("jakarta.ws.rs.HeaderParam",
            "org.jboss.resteasy.annotations.jaxrs.HeaderParam");
    private static final List<String> COOKIES = List.of("jakarta.ws.rs.CookieParam",
            "org.jboss.resteasy.annotations.jaxrs.CookieParam");

    /**
     * Headers whose requests never reach a stored entry or are keyed on them anyway: the preconditions the cache
     * leaves to the application (such a request bypasses it) and {@code X-Forwarded-Prefix}, which keys every request
     * that sends it. {@code If-None-Match}, {@code If-Modified-Since}, {@code Range} and {@code If-Range} are not
     * among them: a miss hands the client's to the method, whose 200 may depend on them (a page chosen by a
     * {@code Range: items=0-24} of its own, a body naming the tag asked for) and is stored.
     */
    private static final Set<String> ANSWERED_BY_THE_CACHE = Set.of("if-match", "if-unmodified-since", "if",
            "x-forwarded-prefix");

    private UnkeyedParameters() {
    }

    /**
     * {@code policy} with every header and cookie {@code method} reads, and does not key, added to its
     * {@code varyBy}; {@code policy} itself when there is none.
     */
    static CachePolicy keyed(String owner, Method method, Class<?> resource, CachePolicy policy) {
        List<VaryToken> varyBy = new ArrayList<>(policy.varyBy());
        List<String> added = new ArrayList<>();
        for (RequestInjections.Point point : RequestInjections.of(method, resource)) {
            for (String type : HEADERS) {
                Annotation header = point.annotation(type);
                if (header != null) {
                    String name = point.valueOf(header);
                    VaryToken token = new VaryToken.Header(name);
                    if (!varyBy.contains(token) && !authorizationKeptApart(name, policy)
                            && !ANSWERED_BY_THE_CACHE.contains(name.toLowerCase(Locale.ROOT))) {
                        varyBy.add(token);
                        added.add(point.where() + " reads @HeaderParam(\"" + name + "\"): \"header:" + name + "\"");
                    }
                }
            }
            for (String type : COOKIES) {
                Annotation cookie = point.annotation(type);
                if (cookie != null) {
                    String name = point.valueOf(cookie);
                    // Cookie names compare exactly, as cookie parsers do.
                    VaryToken token = new VaryToken.Cookie(name);
                    if (!varyBy.contains(token)) {
                        varyBy.add(token);
                        added.add(point.where() + " reads @CookieParam(\"" + name + "\"): \"cookie:" + name + "\"");
                    }
                }
            }
        }
        if (added.isEmpty()) {
            return policy;
        }
        // A warning: a header that changes on every request (a request id, a trace header) makes every request a
        // miss that stores an entry, which costs more than no cache.
        LOG.warn(owner + " is keyed on what it reads that varyBy does not name (" + String.join("; ", added)
                + "); name it in varyBy to make it explicit, or, if the response does not depend on it, read it"
                + " through @Context HttpHeaders, or leave the method uncached");
        return new CachePolicy(policy.ttl(), varyBy, policy.statuses(), policy.sharedAcrossUsers(),
                policy.staleWindows(), policy.route(), policy.ttlFromHeaders(), policy.storesAsSent(),
                policy.queryKeyedAsSent());
    }

    /**
     * {@code Authorization} needs no token on an endpoint not shared across users in the annotation-ttl mode: a
     * request carrying it is either not cached at all or keyed on its user ({@code principal}).
     */
    private static boolean authorizationKeptApart(String header, CachePolicy policy) {
        return "authorization".equalsIgnoreCase(header) && !policy.sharedAcrossUsers() && !policy.ttlFromHeaders();
    }
}
