package dev.responsecache.testing;

import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/** Counts the requests that entered Jersey at all (a hit answered in front of it never does): register it. */
public final class JerseyEntries implements ApplicationEventListener {

    private final AtomicInteger count = new AtomicInteger();

    public int count() {
        return count.get();
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        // only requests matter
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        count.incrementAndGet();
        return null;
    }
}
