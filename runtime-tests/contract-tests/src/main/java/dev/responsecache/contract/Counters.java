package dev.responsecache.contract;

import jakarta.servlet.ServletContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Counters and gates kept in one deployed application's servlet context, so that no two tests share them. */
public final class Counters {

    /** Invocations of resource methods and of the report servlet. */
    public static final String CALLS = "contract.calls";
    /** Requests that entered the JAX-RS runtime (matched or not). */
    public static final String ENTERED = "contract.entered";
    /** Opened once two requests have entered the runtime, for the coalescing test. */
    public static final String GATE = "contract.gate";
    /** Prices by product id, which unsafe requests change, for the eviction tests. */
    public static final String PRICES = "contract.prices";

    /** One lock for all: the context a resource gets may be a runtime's proxy, not the container's object. */
    private static final Object LOCK = new Object();

    private Counters() {
    }

    public static AtomicInteger counter(ServletContext context, String name) {
        synchronized (LOCK) {
            Object existing = context.getAttribute(name);
            if (existing instanceof AtomicInteger counter) {
                return counter;
            }
            AtomicInteger counter = new AtomicInteger();
            context.setAttribute(name, counter);
            return counter;
        }
    }

    /** The application's prices: every product costs 10 until a request changes it. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> prices(ServletContext context) {
        synchronized (LOCK) {
            Object existing = context.getAttribute(PRICES);
            if (existing instanceof Map<?, ?> prices) {
                return (Map<String, String>) prices;
            }
            Map<String, String> prices = new ConcurrentHashMap<>();
            context.setAttribute(PRICES, prices);
            return prices;
        }
    }

    public static CountDownLatch gate(ServletContext context) {
        synchronized (LOCK) {
            Object existing = context.getAttribute(GATE);
            if (existing instanceof CountDownLatch gate) {
                return gate;
            }
            CountDownLatch gate = new CountDownLatch(1);
            context.setAttribute(GATE, gate);
            return gate;
        }
    }
}
