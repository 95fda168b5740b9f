package dev.responsecache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Evicts cached responses when a resource method succeeds: after it returns a 2xx or 3xx status, every entry tagged
 * with one of {@link #tags()} or stored for one of {@link #paths()} (every query string, vary value and
 * representation of the path) is evicted, on every instance sharing the store. Nothing is evicted when the method
 * fails (an exception or a 4xx/5xx status).
 *
 * <p>Tags and paths are templates with the same syntax as {@link CacheResponse#tags()}: {@code {name}} is a path
 * parameter of this method, {@code {query.name}} a query parameter. A path is relative to the JAX-RS application's
 * base URI, e.g. {@code @InvalidatesCache(tags = "products", paths = "products/{id}")}.
 *
 * <p>Independently of this annotation, a successful POST, PUT, PATCH or DELETE evicts the entries of its own path and
 * of the same-application paths in its {@code Location} and {@code Content-Location} headers (RFC 9111 section 4.4),
 * unless {@code responsecache.invalidate-unsafe} is {@code false}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface InvalidatesCache {

    /** The tags to evict, as templates. */
    String[] tags() default {};

    /** The paths to evict, relative to the application's base URI, as templates. */
    String[] paths() default {};
}
