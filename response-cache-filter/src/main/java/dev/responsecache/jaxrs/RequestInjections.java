package dev.responsecache.jaxrs;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a JAX-RS runtime hands one resource method parts of the request: the method itself and its parameters, and
 * the class annotations, fields, constructors and setters of its resource class (and superclasses) and of every
 * {@code @BeanParam} class (RESTEasy's {@code @Form}) reached from them. Read once, as the application starts, by the
 * checks that depend on what the method can see ({@link QueryReading}, {@link UnkeyedParameters}). Annotations are
 * compared by name, so RESTEasy's own parameter annotations count without RESTEasy on the class path.
 */
final class RequestInjections {

    static final String BEAN_PARAM = "jakarta.ws.rs.BeanParam";
    static final String RESTEASY_FORM = "org.jboss.resteasy.annotations.Form";
    /** Method annotations that make a one-parameter method of a resource or bean class a setter the runtime calls. */
    private static final Set<String> SETTER_MARKS = Set.of("jakarta.ws.rs.HeaderParam", "jakarta.ws.rs.CookieParam",
            "jakarta.ws.rs.QueryParam", "jakarta.ws.rs.MatrixParam", "jakarta.ws.rs.PathParam",
            "jakarta.ws.rs.FormParam", BEAN_PARAM, "jakarta.ws.rs.core.Context", "jakarta.inject.Inject",
            "jakarta.ws.rs.Encoded", "org.jboss.resteasy.annotations.jaxrs.HeaderParam",
            "org.jboss.resteasy.annotations.jaxrs.CookieParam", "org.jboss.resteasy.annotations.jaxrs.QueryParam",
            RESTEASY_FORM);

    /**
     * One place the runtime injects into.
     *
     * @param where       what it is, for messages ({@code parameter 2}, {@code field tenant of Report})
     * @param name        the Java name of the parameter, field or property (RESTEasy's annotations default to it)
     * @param annotations its annotations
     * @param type        its declared type; null for a class, method or constructor itself
     * @param genericType its generic type; null as {@code type}
     */
    record Point(String where, String name, List<Annotation> annotations, Class<?> type, Type genericType) {

        /** The annotation of that type name, or null. */
        Annotation annotation(String typeName) {
            for (Annotation annotation : annotations) {
                if (annotation.annotationType().getName().equals(typeName)) {
                    return annotation;
                }
            }
            return null;
        }

        /**
         * The name an annotation such as {@code @HeaderParam("X-Tenant")} gives: its {@code value()}, or, blank (as
         * RESTEasy's annotations may be), the point's own name.
         */
        String valueOf(Annotation annotation) {
            try {
                Object value = annotation.annotationType().getMethod("value").invoke(annotation);
                return value instanceof String text && !text.isBlank() ? text : name;
            } catch (ReflectiveOperationException | RuntimeException none) {
                return name;
            }
        }

        /** The declared type and, for {@code Provider<UriInfo>} and its kind, the types it is generic in. */
        List<Class<?>> types() {
            List<Class<?>> types = new ArrayList<>(2);
            if (type != null) {
                types.add(type);
            }
            if (genericType instanceof ParameterizedType parameterized) {
                for (Type argument : parameterized.getActualTypeArguments()) {
                    Type raw = argument instanceof ParameterizedType inner ? inner.getRawType() : argument;
                    if (raw instanceof Class<?> found) {
                        types.add(found);
                    }
                }
            }
            return types;
        }
    }

    private RequestInjections() {
    }

    /** Every injection point of {@code method} served on {@code resource}, the method itself first. */
    static List<Point> of(Method method, Class<?> resource) {
        List<Point> points = new ArrayList<>();
        Method annotated = JaxrsAnnotatedMethod.of(method);
        String owner = resource.getSimpleName() + "#" + method.getName();
        List<Annotation> own = new ArrayList<>(Arrays.asList(method.getAnnotations()));
        if (annotated != method) {
            own.addAll(Arrays.asList(annotated.getAnnotations()));
            // The contract that declares the method may be @Encoded as a whole.
            own.addAll(Arrays.asList(annotated.getDeclaringClass().getAnnotations()));
        }
        points.add(new Point("method " + owner, method.getName(), own, null, null));
        Set<Class<?>> walked = new HashSet<>();
        Parameter[] parameters = method.getParameters();
        Annotation[][] declared = annotated.getParameterCount() == method.getParameterCount()
                ? annotated.getParameterAnnotations() : new Annotation[parameters.length][];
        for (int i = 0; i < parameters.length; i++) {
            List<Annotation> annotations = new ArrayList<>(Arrays.asList(parameters[i].getAnnotations()));
            if (annotated != method) {
                annotations.addAll(Arrays.asList(declared[i]));
            }
            add(points, walked, new Point("parameter " + (i + 1) + named(parameters[i]), parameters[i].getName(),
                    annotations, parameters[i].getType(), parameters[i].getParameterizedType()));
        }
        walk(points, walked, resource);
        return points;
    }

    /** Adds a point, and the injection points of its class when it is a bean parameter. */
    private static void add(List<Point> points, Set<Class<?>> walked, Point point) {
        points.add(point);
        if (point.type() != null && (point.annotation(BEAN_PARAM) != null || point.annotation(RESTEASY_FORM) != null)) {
            walk(points, walked, point.type());
        }
    }

    /** The class annotations, fields, constructors and setters of {@code type} and its superclasses. */
    private static void walk(List<Point> points, Set<Class<?>> walked, Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class && !c.isInterface() && walked.add(c);
             c = c.getSuperclass()) {
            String name = c.getSimpleName();
            points.add(new Point("class " + name, name, List.of(c.getAnnotations()), null, null));
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
                    add(points, walked, new Point("field " + field.getName() + " of " + name, field.getName(),
                            List.of(field.getAnnotations()), field.getType(), field.getGenericType()));
                }
            }
            for (Constructor<?> constructor : c.getDeclaredConstructors()) {
                points.add(new Point("constructor of " + name, name, List.of(constructor.getAnnotations()), null,
                        null));
                Parameter[] parameters = constructor.getParameters();
                for (int i = 0; i < parameters.length; i++) {
                    add(points, walked, new Point("parameter " + (i + 1) + named(parameters[i])
                            + " of the constructor of " + name, parameters[i].getName(),
                            List.of(parameters[i].getAnnotations()), parameters[i].getType(),
                            parameters[i].getParameterizedType()));
                }
            }
            for (Method setter : c.getDeclaredMethods()) {
                if (setter.getParameterCount() == 1 && !setter.isSynthetic() && !setter.isBridge()
                        && !Modifier.isStatic(setter.getModifiers()) && marked(setter) && !resourceMethod(setter)) {
                    List<Annotation> annotations = new ArrayList<>(Arrays.asList(setter.getAnnotations()));
                    annotations.addAll(Arrays.asList(setter.getParameterAnnotations()[0]));
                    add(points, walked, new Point("setter " + setter.getName() + " of " + name,
                            property(setter.getName()), annotations, setter.getParameterTypes()[0],
                            setter.getGenericParameterTypes()[0]));
                }
            }
        }
    }

    /** The parameter's name in parentheses, when the class was compiled with {@code -parameters}. */
    private static String named(Parameter parameter) {
        return parameter.isNamePresent() ? " (" + parameter.getName() + ")" : "";
    }

    /** A resource method or locator (its own parameters are injected only when it is the one called). */
    private static boolean resourceMethod(Method method) {
        Method annotated = JaxrsAnnotatedMethod.of(method);
        if (annotated.isAnnotationPresent(Path.class)) {
            return true;
        }
        for (Annotation annotation : annotated.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }

    private static boolean marked(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            if (SETTER_MARKS.contains(annotation.annotationType().getName())) {
                return true;
            }
        }
        return false;
    }

    /** {@code setTenant} is the property {@code tenant}, as RESTEasy names it. */
    private static String property(String setter) {
        if (setter.length() > 3 && setter.startsWith("set")) {
            return setter.substring(3, 4).toLowerCase(Locale.ROOT) + setter.substring(4);
        }
        return setter;
    }
}
