/**
 * The JAX-RS entry point: register {@link dev.responsecache.jaxrs.ResponseCacheFeature} and annotate GET resource
 * methods with {@link dev.responsecache.annotation.CacheResponse}.
 */
package dev.responsecache.jaxrs;
