package dev.responsecache.servlet;

import jakarta.servlet.ServletResponse;

import java.lang.reflect.Method;

/**
 * How the cache sees Jetty 12 forward a response behind its back. Jetty's dispatchers (the request's, and those of the
 * {@code ServletContext}, which the cache cannot wrap: a servlet reaches it through its config) clear Jetty's own
 * response at a forward ({@code ServletContextResponse.resetForForward()}): its buffer, and the stream or writer the
 * response was written through, without a call on the wrappers the servlet was given. Two things show it. Before
 * the reset, {@code Dispatcher.forward} looks its own request up through the request it is given, by the
 * {@code ServletChannel} attribute ({@link #askedByAForward()}): a request of the cache's sees that. After it, the
 * response's output type is back at {@code NONE} under the stream or writer the capture took ({@link #taken},
 * {@link #cleared()}), read through Jetty's public API
 * ({@code ServletContextResponse.getServletContextResponse(response).getOutputType()}) found by the class loader of
 * the container's own response, not linked to, as {@link JettyOutput} reads its sizes; nothing on another container,
 * or a Jetty without that API.
 */
final class JettyForwards {

    /**
     * Jetty's two methods by the class of the container's response, none for a class that is not Jetty's; held in a
     * JDK type, since a value of the library's classes would keep a redeployed application's class loader.
     */
    private static final ClassValue<Method[]> METHODS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            return methods(type);
        }
    };

    private static final StackWalker FRAMES = StackWalker.getInstance();

    private final ServletResponse container;
    private final Method contextResponse;
    private final Method outputType;

    private JettyForwards(ServletResponse container, Method contextResponse, Method outputType) {
        this.container = container;
        this.contextResponse = contextResponse;
        this.outputType = outputType;
    }

    /**
     * A watch over the Jetty response under {@code response}, whose stream or writer the capture has just taken
     * through it; null when that response is not Jetty's, or its output is not taken (a wrapper between keeps the
     * body from the container: the container's forward then clears nothing of it, with or without the cache).
     */
    static JettyForwards taken(ServletResponse response) {
        ServletResponse container = ContainerObjects.response(response);
        Method[] found = METHODS.get(container.getClass());
        if (found.length == 0) {
            return null;
        }
        JettyForwards watch = new JettyForwards(container, found[0], found[1]);
        return watch.cleared() ? null : watch;
    }

    /** Whether the container's response has no stream or writer taken now: cleared since it was watched. */
    boolean cleared() {
        try {
            Object type = outputType.invoke(contextResponse.invoke(null, container));
            return type instanceof Enum<?> value && value.name().equals("NONE");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            return false;
        }
    }

    /** Whether {@code name} is the request attribute by which Jetty finds its own request behind wrappers. */
    static boolean isChannelAttribute(String name) {
        return name != null && name.startsWith("org.eclipse.jetty.") && name.endsWith(".servlet.ServletChannel");
    }

    /**
     * Whether the attribute is being read by a forward of Jetty's dispatcher: the frames above the request wrappers'
     * {@code getAttribute} are Jetty's {@code ServletContextRequest.getServletContextRequest}, called by a
     * {@code Dispatcher}'s {@code forward}, which goes on to reset Jetty's own response. Jetty reads it too at the end
     * of every filter chain, and elsewhere: none of those is a forward.
     */
    static boolean askedByAForward() {
        return FRAMES.walk(frames -> {
            StackWalker.StackFrame[] caller = frames
                    // This method's own frame, then the wrappers'.
                    .skip(1)
                    .dropWhile(frame -> frame.getMethodName().equals("getAttribute"))
                    .limit(2)
                    .toArray(StackWalker.StackFrame[]::new);
            return caller.length == 2
                    && caller[0].getMethodName().equals("getServletContextRequest")
                    && caller[0].getClassName().startsWith("org.eclipse.jetty.")
                    && caller[1].getMethodName().equals("forward")
                    && caller[1].getClassName().startsWith("org.eclipse.jetty.")
                    && caller[1].getClassName().endsWith("Dispatcher");
        });
    }

    /** Looked up in the package of the container's response ({@code org.eclipse.jetty.ee10.servlet}, ee11's). */
    private static Method[] methods(Class<?> response) {
        String servletPackage = response.getPackageName();
        if (!servletPackage.startsWith("org.eclipse.jetty.")) {
            return new Method[0];
        }
        try {
            Class<?> contextResponse = Class.forName(servletPackage + ".ServletContextResponse", false,
                    response.getClassLoader());
            return new Method[] {contextResponse.getMethod("getServletContextResponse", ServletResponse.class),
                    contextResponse.getMethod("getOutputType")};
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notThisJetty) {
            return new Method[0];
        }
    }
}
