/**
 * The Redis store, {@code responsecache.store=redis}: one cache shared by every instance of an application. It needs
 * the Jedis client on the class path; a Redis that is down, slow or full makes requests uncached, never failed. One
 * server, a Redis Cluster or a Sentinel-managed primary, with or without TLS (see {@code RedisTopology}); every
 * command and script touches one hash slot.
 */
package dev.responsecache.redis;
