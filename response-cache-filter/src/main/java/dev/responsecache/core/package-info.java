/**
 * Internal: the engine and the cache's rules, with no JAX-RS, servlet or store imports (request keys, what may be
 * stored, whether an entry may answer a request). {@link dev.responsecache.core.ResponseCache} is the one object the
 * adapters drive. The module does not export this package: its public types exist for the library's own adapters
 * and bindings, and change without notice. Applications use the annotations, the JAX-RS feature or the servlet
 * filter; stores implement the SPI ({@link dev.responsecache.spi}), which holds the entry and its binary form.
 */
package dev.responsecache.core;
