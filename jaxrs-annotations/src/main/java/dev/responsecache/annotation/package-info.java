/** The annotations that mark resource methods whose responses are cached. */
package dev.responsecache.annotation;
