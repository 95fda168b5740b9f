package dev.responsecache.servlet;

import jakarta.servlet.ServletRequest;

import java.lang.reflect.Method;

/**
 * Jetty 12's output sizes for one request: the output buffer size and the output aggregation size (8 KiB unless
 * configured) of the connector's {@code HttpConfiguration}, which Jetty's {@code HttpOutput} starts each response with,
 * and the buffer pool it takes its buffer from ({@link #capacity(int)}). Read through Jetty's public API
 * ({@code ServletContextRequest.getServletContextRequest(request).getServletChannel().getHttpConfiguration()}, the
 * request's {@code getComponents().getByteBufferPool()}) found by the class loader of the container's own request, not
 * linked to: the library does not depend on Jetty, and a web application deployed on Jetty does not see its classes.
 * Null on another container, or a Jetty environment without that API (ee8, ee9).
 */
final class JettyOutput {

    /**
     * Jetty's methods ({@link Methods#of}), by the class of the container's request; none for a class that is not
     * Jetty's. Kept by Jetty's class for as long as the server runs, so held in a JDK type: a value of one of the
     * library's classes would keep the web application's class loader once it is redeployed.
     */
    private static final ClassValue<Method[]> METHODS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            Methods methods = Methods.of(type);
            return methods == null ? new Method[0] : methods.toArray();
        }
    };

    private final int bufferSize;
    private final int aggregationSize;
    /** The connector's buffer pool, and whether the response's buffers are direct: see {@link #capacity(int)}. */
    private final Object pool;
    private final boolean direct;
    private final Methods methods;
    /** The last size asked of {@link #capacity(int)} and its answer, as one value: the pool's rounding is fixed. */
    private volatile Pooled pooled;

    private record Pooled(int size, int capacity) {
    }

    private JettyOutput(int bufferSize, int aggregationSize, Object pool, boolean direct, Methods methods) {
        this.bufferSize = bufferSize;
        this.aggregationSize = aggregationSize;
        this.pool = pool;
        this.direct = direct;
        this.methods = methods;
    }

    /** The connector's output buffer size: each response's until {@code setBufferSize}. */
    int bufferSize() {
        return bufferSize;
    }

    /** The connector's output aggregation size: a longer single write is sent at once. */
    int aggregationSize() {
        return aggregationSize;
    }

    /**
     * The bytes Jetty's buffer holds for a buffer size of {@code size}: {@code HttpOutput} acquires its buffer from the
     * connector's pool at that size, and the pool hands out its bucket's capacity, a multiple of its factor (4 KiB by
     * default: 10,000 gives 12,288; a size past its largest bucket, 64 KiB by default, is allocated as asked). Asked of
     * the pool itself, as Jetty does (a buffer acquired and released at once), so that any pool a server configures
     * answers; {@code size} when it cannot be asked.
     */
    int capacity(int size) {
        Pooled last = pooled;
        if (last != null && last.size == size) {
            return last.capacity;
        }
        int taken = size;
        try {
            Object buffer = methods.acquire.invoke(pool, size, direct);
            try {
                taken = Math.max(size, (Integer) methods.capacity.invoke(buffer));
            } finally {
                methods.release.invoke(buffer);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            // The size asked: the container's buffer is never smaller.
        }
        pooled = new Pooled(size, taken);
        return taken;
    }

    /** The sizes the request's connector gives a response, or null when they cannot be read. */
    static JettyOutput of(ServletRequest request) {
        ServletRequest container = ContainerObjects.request(request);
        Method[] found = METHODS.get(container.getClass());
        if (found.length == 0) {
            return null;
        }
        Methods methods = Methods.of(found);
        try {
            Object contextRequest = methods.contextRequest.invoke(null, container);
            Object configuration = methods.configuration.invoke(methods.channel.invoke(contextRequest));
            Object pool = methods.pool.invoke(methods.components.invoke(contextRequest));
            return new JettyOutput((Integer) methods.bufferSize.invoke(configuration),
                    (Integer) methods.aggregationSize.invoke(configuration), pool,
                    (Boolean) methods.directBuffers.invoke(configuration), methods);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            return null;
        }
    }

    private record Methods(Method contextRequest, Method channel, Method configuration, Method bufferSize,
                           Method aggregationSize, Method directBuffers, Method components, Method pool,
                           Method acquire, Method capacity, Method release) {

        /** As kept per Jetty class: JDK types only ({@link #METHODS}). */
        Method[] toArray() {
            return new Method[] {contextRequest, channel, configuration, bufferSize, aggregationSize, directBuffers,
                    components, pool, acquire, capacity, release};
        }

        static Methods of(Method[] kept) {
            return new Methods(kept[0], kept[1], kept[2], kept[3], kept[4], kept[5], kept[6], kept[7], kept[8],
                    kept[9], kept[10]);
        }

        /** Looked up in the package of the container's request ({@code org.eclipse.jetty.ee10.servlet}, ee11's). */
        static Methods of(Class<?> request) {
            String servletPackage = request.getPackageName();
            if (!servletPackage.startsWith("org.eclipse.jetty.")) {
                return null;
            }
            try {
                Class<?> contextRequest = Class.forName(servletPackage + ".ServletContextRequest", false,
                        request.getClassLoader());
                Method of = contextRequest.getMethod("getServletContextRequest", ServletRequest.class);
                Method channel = contextRequest.getMethod("getServletChannel");
                Method configuration = channel.getReturnType().getMethod("getHttpConfiguration");
                Class<?> httpConfiguration = configuration.getReturnType();
                // Looked up on Jetty's public interfaces: the pool and its buffers may be of classes that are not.
                Method components = contextRequest.getMethod("getComponents");
                Method pool = components.getReturnType().getMethod("getByteBufferPool");
                Method acquire = pool.getReturnType().getMethod("acquire", int.class, boolean.class);
                Class<?> buffer = acquire.getReturnType();
                return new Methods(of, channel, configuration, httpConfiguration.getMethod("getOutputBufferSize"),
                        httpConfiguration.getMethod("getOutputAggregationSize"),
                        httpConfiguration.getMethod("isUseOutputDirectByteBuffers"), components, pool, acquire,
                        buffer.getMethod("capacity"), buffer.getMethod("release"));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError notThisJetty) {
                return null;
            }
        }
    }
}
