package dev.responsecache;

import java.net.URI;

/**
 * Evicts cached responses, on every instance that shares the store. One instance serves a web application; get it
 * from the servlet context ({@code servletContext.getAttribute(ResponseCacheInvalidator.ATTRIBUTE)}) or, in a JAX-RS
 * resource, with {@code @Context ResponseCacheInvalidator invalidator} (Jersey 3 and 4 with HK2, where
 * {@code @Inject} works too, and RESTEasy 6 and 7); on any runtime from the configuration
 * ({@code @Context Configuration c; c.getProperty(ATTRIBUTE)}) or a context resolver ({@code @Context Providers p;
 * p.getContextResolver(ResponseCacheInvalidator.class, MediaType.WILDCARD_TYPE).getContext(getClass())}).
 *
 * <p>Every call is synchronous: when it returns, no instance serves an evicted entry from the shared store, and a
 * response produced concurrently from data the eviction declared stale is not stored afterwards. A call that fails
 * (the store is unreachable) throws {@link ResponseCacheInvalidationException}; the eviction is then remembered in
 * memory and replayed, in order with any other, as soon as the store answers, and until then this instance serves
 * every request uncached (another instance that still reaches the store serves the entries until the replay; an
 * instance that stops first loses what it remembers, and those entries are then served at most until their ttl
 * ends).
 */
public interface ResponseCacheInvalidator {

    /** The servlet context attribute and JAX-RS configuration property holding the application's invalidator. */
    String ATTRIBUTE = "dev.responsecache.invalidator";

    /**
     * The request attribute (a JAX-RS request property too, with Jersey on a servlet container) under which a
     * resource or servlet adds tags to the response it is producing, as a {@code Collection<String>} or a
     * {@code String[]}, e.g. every product id of a list page. Read once the method has returned or the servlet's
     * response completes (an asynchronous servlet's too); {@code responsecache.tag-header} is the other way; the tags follow the rules of {@code @CacheResponse(tags)}, and a miss
     * that started before an eviction of one of them stores nothing, as for declared tags.
     */
    String RESPONSE_TAGS = "dev.responsecache.response-tags";

    /**
     * Evicts every entry tagged with one of {@code tags} (see {@code @CacheResponse(tags = ...)}).
     *
     * @return how many entries were removed, or -1 when the store cannot tell
     * @throws IllegalArgumentException when a tag is blank or starts with {@code /} (use {@link #evictPath})
     * @throws ResponseCacheInvalidationException when the store fails
     */
    long evictTags(String... tags);

    /**
     * Evicts every entry stored for {@code path} (every query string, vary value and representation): the path as
     * requested, including the context path and still percent-encoded, e.g. {@code /shop/products/42}. A query
     * string is ignored, and so are matrix parameters: {@code /shop/products/42} also evicts the entries of
     * {@code /shop/products/42;view=short}, which the runtime routes to the same resource, and those of other spellings
     * a runtime or container routes there: {@code /shop/products/42/}, {@code /shop/products/%342},
     * {@code /shop//products/42}.
     *
     * @return how many entries were removed, or -1 when the store cannot tell
     * @throws IllegalArgumentException when the path does not start with {@code /}
     * @throws ResponseCacheInvalidationException when the store fails
     */
    long evictPath(String path);

    /**
     * Evicts the entries of one URL: its path and query exactly (parameters compared as the cache keys them: decoded,
     * in any order), with every representation and vary value stored for it (each {@code Accept}, each
     * {@code varyBy} header, cookie or user), but not the other query strings of the path (see {@link #evictPath}).
     * The scheme, host and port of an absolute URI are ignored; the path is the one requested, with the context path
     * and still percent-encoded, e.g. {@code URI.create("/shop/products?page=2")}.
     *
     * @return how many entries were removed, or -1 when the store cannot tell
     * @throws IllegalArgumentException when the path does not start with {@code /} or the query is malformed
     * @throws ResponseCacheInvalidationException when the store fails
     */
    long evictRequest(URI target);

    /**
     * Evicts every entry of this application's cache.
     *
     * @return how many entries were removed, or -1 when the store cannot tell
     * @throws ResponseCacheInvalidationException when the store fails
     */
    long evictAll();
}
