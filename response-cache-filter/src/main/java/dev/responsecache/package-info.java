/**
 * Configuration keys and the start-up error of the response cache. The entry points live in
 * {@link dev.responsecache.jaxrs} (JAX-RS) and {@link dev.responsecache.servlet} (servlet filter); stores plug in
 * through {@link dev.responsecache.spi}.
 */
package dev.responsecache;
