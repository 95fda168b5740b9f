/**
 * The Redis store, {@code responsecache.store=redis}: one cache shared by every instance of an application. It needs
 * the Jedis client on the class path; a Redis that is down, slow or full makes requests uncached, never failed.
 */
package dev.responsecache.redis;
