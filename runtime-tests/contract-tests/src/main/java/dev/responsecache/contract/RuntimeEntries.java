package dev.responsecache.contract;

import dev.responsecache.core.EarlyRoutes;

import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;

/**
 * Counts the GET requests that entered a JAX-RS runtime that processes nothing but the cache's own (its pre-matching
 * filter marks them, before the response is written), so that a test can tell a hit answered in front of the runtime
 * from one answered inside it. A listener, not a filter: any servlet filter of the application keeps hits inside the
 * runtime.
 */
public class RuntimeEntries implements ServletRequestAttributeListener {

    /** Requests the runtime marked. */
    public static final String COUNT = "contract.runtime-entries";

    @Override
    public void attributeAdded(ServletRequestAttributeEvent event) {
        if (EarlyRoutes.SAFE_RUNTIME.equals(event.getName())) {
            Counters.counter(event.getServletContext(), COUNT).incrementAndGet();
        }
    }
}
