package dev.responsecache.jaxrs;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a resource method may read the query string as sent rather than decoded: then {@code ?q=a+b} and
 * {@code ?q=a%20b}, {@code ?q=%41} and {@code ?q=A}, or {@code ?a=1&b=2} and {@code ?b=2&a=1} are different requests
 * to it, and its entries are keyed on the query byte for byte. A method reads it so through {@code @Encoded} (on a
 * parameter, field, setter, constructor, the method or its class, or inside a {@code @BeanParam}), or through an
 * object that hands out the request URI: {@code UriInfo} ({@code getRequestUri()},
 * {@code getQueryParameters(false)}), the servlet request ({@code getQueryString()}), the request context, RESTEasy's
 * {@code HttpRequest} or Grizzly's request, wherever it is injected. Which of their methods it calls cannot be seen,
 * so any of them counts; every other method keeps the decoded, sorted key, which shares one entry among the spellings
 * of one request.
 */
final class QueryReading {

    private static final String ENCODED = "jakarta.ws.rs.Encoded";
    /** Types whose instances hand the method the query string as sent; subtypes count too. */
    private static final Set<String> RAW_READERS = Set.of("jakarta.ws.rs.core.UriInfo",
            "jakarta.ws.rs.container.ContainerRequestContext", "jakarta.servlet.ServletRequest",
            "org.jboss.resteasy.spi.HttpRequest", "org.glassfish.grizzly.http.server.Request");

    private QueryReading() {
    }

    /** Whether {@code method}, served on {@code resource}, may read the query string as sent. */
    static boolean asSent(Method method, Class<?> resource) {
        for (RequestInjections.Point point : RequestInjections.of(method, resource)) {
            if (point.annotation(ENCODED) != null) {
                return true;
            }
            for (Class<?> type : point.types()) {
                if (readsRaw(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code type} is, extends or implements one of {@link #RAW_READERS}. */
    private static boolean readsRaw(Class<?> type) {
        Deque<Class<?>> pending = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            Class<?> next = pending.poll();
            if (!seen.add(next)) {
                continue;
            }
            if (RAW_READERS.contains(next.getName())) {
                return true;
            }
            if (next.getSuperclass() != null) {
                pending.add(next.getSuperclass());
            }
            for (Class<?> contract : next.getInterfaces()) {
                pending.add(contract);
            }
        }
        return false;
    }
}
