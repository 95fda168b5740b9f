package dev.responsecache.servlet;

import jakarta.servlet.ServletRequest;

import java.lang.reflect.Method;
import java.util.function.Consumer;

/**
 * Jetty's word that a request's whole cycle is over, for an asynchronous refresh whose end no {@code AsyncListener}
 * hears: when an asynchronous dispatch of a request whose response is complete throws, Jetty 12 aborts the response
 * and tells the listeners nothing (neither {@code onError} nor {@code onComplete}). Its core request still reports its
 * completion, with that failure, to the listeners of {@code Request.addCompletionListener}. Read through Jetty's
 * public API ({@code ServletContextRequest.getServletContextRequest}, then that static method of
 * {@code org.eclipse.jetty.server.Request}) found by the class loader of the container's own request, not linked to,
 * as {@link JettyForwards} reads its response; nothing on another container, or a Jetty without that API.
 */
final class JettyCompletion {

    /**
     * Jetty's two methods by the class of the container's request, none for a class that is not Jetty's; held in a
     * JDK type, since a value of the library's classes would keep a redeployed application's class loader.
     */
    private static final ClassValue<Method[]> METHODS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            return methods(type);
        }
    };

    private JettyCompletion() {
    }

    /**
     * Tells {@code completed} once the cycle of Jetty's request under {@code request} is over, with the failure it
     * ended in (null: none). False, and nothing told, where the request is not Jetty's or cannot be listened to.
     */
    static boolean listen(ServletRequest request, Consumer<Throwable> completed) {
        ServletRequest container = ContainerObjects.request(request);
        Method[] found = METHODS.get(container.getClass());
        if (found.length == 0) {
            return false;
        }
        try {
            Object core = found[0].invoke(null, container);
            if (core == null) {
                return false;
            }
            found[1].invoke(null, core, completed);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unusable) {
            return false;
        }
    }

    /** Looked up in the package of the container's request ({@code org.eclipse.jetty.ee10.servlet}, ee11's). */
    private static Method[] methods(Class<?> request) {
        String servletPackage = request.getPackageName();
        if (!servletPackage.startsWith("org.eclipse.jetty.")) {
            return new Method[0];
        }
        try {
            Class<?> contextRequest = Class.forName(servletPackage + ".ServletContextRequest", false,
                    request.getClassLoader());
            Class<?> core = Class.forName("org.eclipse.jetty.server.Request", false, contextRequest.getClassLoader());
            return new Method[] {contextRequest.getMethod("getServletContextRequest", ServletRequest.class),
                    core.getMethod("addCompletionListener", core, Consumer.class)};
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notThisJetty) {
            return new Method[0];
        }
    }
}
