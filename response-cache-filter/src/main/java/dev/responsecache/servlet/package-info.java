/**
 * The servlet entry point: map {@link dev.responsecache.servlet.ResponseCacheFilter} in front of any servlet in
 * {@code web.xml}. Everything else here is its implementation.
 */
package dev.responsecache.servlet;
