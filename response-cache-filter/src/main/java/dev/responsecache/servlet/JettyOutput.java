package dev.responsecache.servlet;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;

import java.lang.reflect.Method;

/**
 * Jetty 12's output sizes for one request: the output buffer size and the output aggregation size (8 KiB unless
 * configured) of the connector's {@code HttpConfiguration}, which Jetty's {@code HttpOutput} starts each response with.
 * Read through Jetty's public API ({@code ServletContextRequest.getServletContextRequest(request)
 * .getServletChannel().getHttpConfiguration()}) found by the class loader of the container's own request, not linked
 * to: the library does not depend on Jetty, and a web application deployed on Jetty does not see its classes. Null on
 * another container, or a Jetty environment without that API (ee8, ee9).
 */
record JettyOutput(int bufferSize, int aggregationSize) {

    /**
     * Jetty's methods ({@link Methods#of}), by the class of the container's request; none for a class that is not
     * Jetty's. Kept by Jetty's class for as long as the server runs, so held in a JDK type: a value of one of the
     * library's classes would keep the web application's class loader once it is redeployed.
     */
    private static final ClassValue<Method[]> METHODS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            Methods methods = Methods.of(type);
            return methods == null ? new Method[0] : new Method[] {methods.contextRequest, methods.channel,
                    methods.configuration, methods.bufferSize, methods.aggregationSize};
        }
    };

    /** The sizes the request's connector gives a response, or null when they cannot be read. */
    static JettyOutput of(ServletRequest request) {
        ServletRequest container = request;
        while (container instanceof ServletRequestWrapper wrapper) {
            container = wrapper.getRequest();
        }
        Method[] found = METHODS.get(container.getClass());
        if (found.length == 0) {
            return null;
        }
        Methods methods = new Methods(found[0], found[1], found[2], found[3], found[4]);
        try {
            Object contextRequest = methods.contextRequest.invoke(null, container);
            Object configuration = methods.configuration.invoke(methods.channel.invoke(contextRequest));
            return new JettyOutput((Integer) methods.bufferSize.invoke(configuration),
                    (Integer) methods.aggregationSize.invoke(configuration));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            return null;
        }
    }

    private record Methods(Method contextRequest, Method channel, Method configuration, Method bufferSize,
                           Method aggregationSize) {

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
                return new Methods(of, channel, configuration, httpConfiguration.getMethod("getOutputBufferSize"),
                        httpConfiguration.getMethod("getOutputAggregationSize"));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError notThisJetty) {
                return null;
            }
        }
    }
}
