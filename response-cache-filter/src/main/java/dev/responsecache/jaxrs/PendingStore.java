package dev.responsecache.jaxrs;

import dev.responsecache.core.Lookup;

import java.util.List;

/**
 * A miss whose body is to be captured by the writer interceptor, and the response to store with it;
 * {@code provisional}: the refusal shown for the headers before the message body writer ran, which it may lift
 * (null: none), and {@code upstream}, the {@code Cache-Status} members of caches nearer the origin, to show it
 * again without.
 */
record PendingStore(Lookup lookup, ProducedResponse produced, String provisional, List<String> upstream,
                    boolean withEntity) {
}
