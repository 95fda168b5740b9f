package dev.responsecache.jaxrs;

import jakarta.ws.rs.core.Configuration;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The annotations the runtime attaches to the entity a resource method returns, which the application's response
 * filters ({@code getEntityAnnotations()}) and writer interceptors ({@code getAnnotations()}) see on a miss. A hit
 * is given to {@code abortWith} and goes through the same filters and interceptors, so it carries them too: without
 * them a filter that adds a header for an annotation of the method (a {@code Sunset} or {@code Deprecation} line)
 * left it out of every hit, and on RESTEasy, which then hands the filters {@code null}, one that reads them answered
 * every hit with a 500. Jersey attaches the declared annotations of the method it invokes, RESTEasy those of the
 * method its JAX-RS annotations are read from ({@link JaxrsAnnotatedMethod}), to an entity an {@code AsyncResponse}
 * or a {@code CompletionStage} is resumed with as well (both runtimes). A response the method did not produce so (an
 * exception mapper's, which gets none, a {@code Response} an {@code AsyncResponse} is resumed with, which RESTEasy
 * gives none, or an entity the method gave annotations of its own) is not what a hit replays: {@link #replayedAlike}
 * keeps it out of the cache where a filter or interceptor of the application could tell. Jersey MVC's
 * {@code @Template} is left out of both: its interceptor would render a hit's stored page again
 * ({@link JerseyTemplates}).
 */
final class EntityAnnotations {

    /** Jersey MVC's annotation, named rather than loaded (Jersey MVC is optional). */
    private static final String TEMPLATE = "org.glassfish.jersey.server.mvc.Template";

    /** Another runtime: what it attaches is not known, and hits carry none, as before. */
    private static final EntityAnnotations UNKNOWN = new EntityAnnotations(false, null, false);

    private final boolean known;
    private final Annotation[] annotations;
    /**
     * Whether every hit may be given the one array, no copy made per hit: Jersey gives every response of the method
     * the same one and copies it for each reader ({@code getEntityAnnotations()}); RESTEasy gives each response a
     * copy and hands a filter that one, so each hit gets a copy too (a filter writing into it changes its own alone).
     */
    private final boolean shared;

    private EntityAnnotations(boolean known, Annotation[] annotations, boolean shared) {
        this.known = known;
        this.annotations = withoutTemplate(annotations);
        this.shared = shared;
    }

    /** What the runtime whose {@code configuration} this is attaches to {@code method}'s entity. */
    static EntityAnnotations of(Method method, Configuration configuration) {
        if (configuration == null) {
            return UNKNOWN;
        }
        if (PriorityTies.isOf(configuration, PriorityTies.JERSEY)) {
            return new EntityAnnotations(true, method.getDeclaredAnnotations(), true);
        }
        if (PriorityTies.isOf(configuration, PriorityTies.RESTEASY)) {
            return new EntityAnnotations(true, JaxrsAnnotatedMethod.of(method).getAnnotations(), false);
        }
        return UNKNOWN;
    }

    /** Whether a hit is to carry {@link #annotations()}; false on a runtime whose ways are not known. */
    boolean known() {
        return known;
    }

    /** The annotations a hit's entity is given (null where the runtime gives the method's entity none). */
    Annotation[] annotations() {
        return annotations == null || shared ? annotations : annotations.clone();
    }

    /**
     * Whether a hit, carrying these annotations, shows the application what the miss did: the response was written
     * with them, or no filter or interceptor of the application runs to see them ({@code transparent}).
     */
    boolean replayedAlike(Annotation[] written, Object transparent) {
        return !known || Boolean.TRUE.equals(transparent) || Arrays.equals(withoutTemplate(written), annotations);
    }

    private static Annotation[] withoutTemplate(Annotation[] annotations) {
        if (annotations == null) {
            return null;
        }
        for (Annotation annotation : annotations) {
            if (annotation.annotationType().getName().equals(TEMPLATE)) {
                return Arrays.stream(annotations).filter(kept -> !kept.annotationType().getName().equals(TEMPLATE))
                        .toArray(Annotation[]::new);
            }
        }
        return annotations;
    }
}
