/** The embedded Ehcache store, {@code responsecache.store=ehcache} (the default). */
package dev.responsecache.ehcache;
