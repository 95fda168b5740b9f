package dev.responsecache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the whole response (status, headers, body) of a GET resource method, or of every GET method of a resource
 * class. Repeated requests with the same key are answered from the cache without invoking the method.
 *
 * <p>The key is the request path, every query parameter (in a canonical order), the negotiated media type, and what
 * {@link #varyBy()} names. A request that carries credentials (an {@code Authorization} header or an authenticated
 * user) is neither answered from nor stored in the cache unless {@code varyBy} contains {@code "principal"} or
 * {@link #sharedAcrossUsers()} is {@code true}.
 *
 * <p>Annotation values are checked when the application starts: a {@code ttl} of zero or less, an unknown
 * {@code varyBy} token or a status outside 100-599 fails the start-up with a message that names the resource method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CacheResponse {

    /**
     * The {@link #ttl()} that lets each response's own headers say how long it is fresh, as for an HTTP shared cache
     * (RFC 9111): {@code s-maxage}, {@code max-age} or {@code Expires}, less the {@code Age} it already has;
     * {@code no-store} and {@code private} keep it out, {@code no-cache} and {@code must-revalidate} are honoured. A
     * stale entry is a miss (the method runs). {@link #statuses()} and the stale windows do not apply: the response
     * directives say. See docs/HEADER_DRIVEN.md.
     */
    long FROM_HEADERS = -1;

    /**
     * How long, in seconds, a stored response is served. Must be positive, or {@link #FROM_HEADERS}; more than a
     * year (31,536,000) is served for a year.
     */
    long ttl();

    /**
     * What else, besides path, query and media type, tells responses apart. Each token is one of:
     * <ul>
     *   <li>{@code header:<Name>}: the value of a request header (case-insensitive name), e.g.
     *       {@code header:Accept-Language};</li>
     *   <li>{@code cookie:<name>}: the value of a request cookie (case-sensitive name);</li>
     *   <li>{@code principal}: the authenticated user's name; requests with credentials but no user are not
     *       cached.</li>
     * </ul>
     */
    String[] varyBy() default {};

    /**
     * The response statuses that may be stored. Empty means the configured default
     * ({@code responsecache.cacheable-statuses}: 200, 203, 204, 300, 301, 308, 404, 410). A 1xx, 206, 304 or 5xx is
     * never stored, and naming one fails the start-up.
     */
    int[] statuses() default {};

    /**
     * Declares that the response is identical for every user, so requests carrying credentials may be answered from
     * and stored in the shared cache. Leave {@code false} for anything that could be personalised.
     */
    boolean sharedAcrossUsers() default false;

    /**
     * Tags the stored responses, so that {@link InvalidatesCache} or the
     * {@code dev.responsecache.ResponseCacheInvalidator} can evict them together. Each tag is a template:
     * {@code {name}} is replaced by the value of the method's path parameter {@code name} and {@code {query.name}}
     * by the first value of the query parameter {@code name} (empty when absent), e.g.
     * {@code {"products", "product:{id}"}}. A tag may not start with {@code /}: those name paths, which every
     * entry is tagged with implicitly. A template naming an unknown path parameter fails the start-up.
     */
    String[] tags() default {};

    /**
     * How long, in seconds after the ttl, the entry is answered at once (stale) while one refresh of it runs after
     * the answer (RFC 5861 {@code stale-while-revalidate}): {@code -1} (the default) takes
     * {@code responsecache.stale-while-revalidate} (0 unless configured), {@code 0} means never, at most a year.
     */
    long staleWhileRevalidate() default -1;

    /**
     * How long, in seconds after the ttl, the entry may answer instead of an error of the method, a 5xx response
     * (returned, or mapped from an exception), with its stored status (RFC 5861 {@code stale-if-error}): {@code -1}
     * (the default) takes {@code responsecache.stale-if-error} (0 unless configured), {@code 0} means never, at most
     * a year.
     */
    long staleIfError() default -1;

    /**
     * Seconds a missed request may wait for the method while a stale entry usable on error ({@link #staleIfError})
     * exists: past it, the client is answered with that entry (as for an error, {@code fwd-status=504}) while the
     * method keeps running; its response is still stored if the rules allow, which refreshes the entry. Applies only
     * while the method has sent nothing (its body is held until it is complete), and never without such an entry.
     * {@code -1} (the default) takes {@code responsecache.stale-if-error-deadline} (off unless configured), {@code 0}
     * means none, at most a day.
     */
    long staleIfErrorDeadline() default -1;
}
