package dev.responsecache.jaxrs;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/**
 * The one method a resource method's JAX-RS annotations are read from (JAX-RS 3.1, section 3.6): the method itself if
 * it is annotated as a resource method ({@code @Path} or an HTTP method such as {@code @GET}), otherwise the first such
 * method it overrides or implements, superclasses before interfaces. A method annotated so inherits none of the
 * others' annotations: an interface's {@code @Produces} does not apply to an implementation annotated {@code @GET}, and
 * the cache must not key by a type the runtime ignores. This is where Jersey and RESTEasy agree for every method they
 * serve (RESTEasy hands over the implementation, Jersey the annotated method; Jersey also stops at a method with only
 * parameter or {@code @Produces} annotations, which it then does not serve at all). Overridden methods are matched by
 * name and parameter types, a generic contract's erased types included ({@code get(ID)} of {@code CrudApi<T, ID>}).
 */
final class JaxrsAnnotatedMethod {

    private JaxrsAnnotatedMethod() {
    }

    /** The method to read {@code method}'s JAX-RS annotations from; {@code method} itself when none carries any. */
    static Method of(Method method) {
        Method annotated = find(method.getDeclaringClass(), method);
        return annotated != null ? annotated : method;
    }

    /**
     * The cache's own annotation {@code type} on {@code method} or, failing that, on the first method it overrides or
     * implements that carries it (superclasses before interfaces): a contract may declare the caching with the route.
     */
    static <A extends Annotation> A inherited(Method method, Class<A> type) {
        A direct = method.getAnnotation(type);
        return direct != null ? direct : inherited(method.getDeclaringClass(), method, type);
    }

    private static <A extends Annotation> A inherited(Class<?> type, Method method, Class<A> annotation) {
        if (type == null || type == Object.class) {
            return null;
        }
        Method declared = declared(type, method);
        A found = declared == null ? null : declared.getAnnotation(annotation);
        if (found != null) {
            return found;
        }
        found = inherited(type.getSuperclass(), method, annotation);
        for (int i = 0; found == null && i < type.getInterfaces().length; i++) {
            found = inherited(type.getInterfaces()[i], method, annotation);
        }
        return found;
    }

    private static Method find(Class<?> type, Method method) {
        if (type == null || type == Object.class) {
            return null;
        }
        Method declared = declared(type, method);
        if (declared != null && annotated(declared)) {
            return declared;
        }
        Method inherited = find(type.getSuperclass(), method);
        if (inherited != null) {
            return inherited;
        }
        for (Class<?> contract : type.getInterfaces()) {
            inherited = find(contract, method);
            if (inherited != null) {
                return inherited;
            }
        }
        return null;
    }

    /** The method of {@code type} that {@code method} is, overrides or implements, or null. */
    private static Method declared(Class<?> type, Method method) {
        try {
            return type.getDeclaredMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException notExactly) {
            // A generic contract declares the method with its type variables' erasures.
        }
        Class<?>[] parameters = method.getParameterTypes();
        for (Method candidate : type.getDeclaredMethods()) {
            if (!candidate.isBridge() && !candidate.isSynthetic() && candidate.getName().equals(method.getName())
                    && accepts(candidate.getParameterTypes(), parameters)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean accepts(Class<?>[] declared, Class<?>[] actual) {
        if (declared.length != actual.length) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (!declared[i].isAssignableFrom(actual[i])) {
                return false;
            }
        }
        return true;
    }

    /** Annotated as a resource method or locator: {@code @Path}, or an annotation that is an HTTP method. */
    private static boolean annotated(Method method) {
        if (method.isAnnotationPresent(Path.class)) {
            return true;
        }
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }
}
