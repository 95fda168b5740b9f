package dev.responsecache.jaxrs;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * The one method a resource method's JAX-RS annotations are read from (JAX-RS 3.1, section 3.6, as Jersey's and
 * RESTEasy's models apply it): the method itself if it carries any JAX-RS annotation (on it or on a parameter),
 * otherwise the first such method it overrides or implements, superclasses before interfaces. A method with JAX-RS
 * annotations of its own inherits none of the others': an interface's {@code @Produces} does not apply to an
 * implementation annotated {@code @GET}, and the cache must not key by a type the runtime ignores.
 */
final class JaxrsAnnotatedMethod {

    private static final Set<Class<? extends Annotation>> ON_METHOD = Set.of(Path.class, Produces.class,
            Consumes.class);
    private static final Set<Class<? extends Annotation>> ON_PARAMETER = Set.of(Context.class, Encoded.class,
            DefaultValue.class, MatrixParam.class, QueryParam.class, CookieParam.class, HeaderParam.class,
            PathParam.class, FormParam.class);

    private JaxrsAnnotatedMethod() {
    }

    /** The method to read {@code method}'s JAX-RS annotations from; {@code method} itself when none carries any. */
    static Method of(Method method) {
        Method annotated = find(method.getDeclaringClass(), method);
        return annotated != null ? annotated : method;
    }

    private static Method find(Class<?> type, Method method) {
        if (type == null || type == Object.class) {
            return null;
        }
        Method declared;
        try {
            declared = type.getDeclaredMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException notHere) {
            declared = null;
        }
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

    private static boolean annotated(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            Class<? extends Annotation> type = annotation.annotationType();
            if (ON_METHOD.contains(type) || type.isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        for (Annotation[] parameter : method.getParameterAnnotations()) {
            for (Annotation annotation : parameter) {
                if (ON_PARAMETER.contains(annotation.annotationType())) {
                    return true;
                }
            }
        }
        return false;
    }
}
