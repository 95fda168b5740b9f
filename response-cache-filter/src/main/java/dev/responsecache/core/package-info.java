/**
 * The cache's rules with no JAX-RS, servlet or store imports: request keys, what may be stored, whether an entry may
 * answer a request, the entry and its binary form. {@link dev.responsecache.core.ResponseCache} is the one object the
 * adapters drive. Public types here exist for the adapters and store authors; applications use the annotation, the
 * JAX-RS feature or the servlet filter instead.
 */
package dev.responsecache.core;
