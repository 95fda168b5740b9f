/**
 * The cache's rules with no JAX-RS, servlet or store imports: request keys, what may be stored, whether an entry may
 * answer a request. The entry and its binary form belong to the store SPI ({@link dev.responsecache.spi}).
 * {@link dev.responsecache.core.ResponseCache} is the one object the adapters drive. Public types here exist for the
 * adapters; applications use the annotation, the JAX-RS feature or the servlet filter instead.
 */
package dev.responsecache.core;
