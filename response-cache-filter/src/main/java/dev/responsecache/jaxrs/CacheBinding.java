package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.core.ApplicationScope;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.CacheSettings;
import dev.responsecache.core.ErrorFallback;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SharedCache;
import dev.responsecache.core.StaleSeconds;
import dev.responsecache.core.TagTemplate;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.WriterInterceptor;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a {@link CachingFilter} to each resource method covered by {@link CacheResponse}, validating the annotation
 * as the application starts: a bad ttl or varyBy token fails the deployment, naming the method. With the cache
 * switched off ({@link #checkingOnly}) the annotations are checked all the same, and fail the deployment alike, so that
 * a bad one is found where the cache is off (a developer's machine) and not first where it is turned on; nothing is
 * bound and nothing is warned of.
 */
final class CacheBinding implements DynamicFeature {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");

    /** Null when the cache is off: annotations are only checked. */
    private final ResponseCache cache;
    private final CacheSettings settings;
    /**
     * GET and HEAD methods per full path template, over every resource class: the runtime calls {@link #configure}
     * for each resource method as the application starts, before any request, so at a store the count is known.
     */
    private final Map<String, Integer> readMethods = new ConcurrentHashMap<>();

    /** The application's, where the runtime shows a resource method's configuration without it (Jersey). */
    private final Configuration application;

    /** On Jersey, the request filters its injection manager holds (a binder's too); else none. */
    private final Supplier<Map<Class<?>, Integer>> jerseyRequestFilters;

    /** Whether a route declared on an interface, named so by the runtime, was logged (once per application). */
    private final AtomicBoolean interfaceRouteLogged = new AtomicBoolean();

    /** The web application, where a refused annotation is logged once ({@link SharedCache#refused}); null outside. */
    private final ApplicationScope scope;

    /**
     * @param feature the context the cache's feature was configured in
     * @param scope the web application the cache serves, or null outside one
     */
    CacheBinding(ResponseCache cache, FeatureContext feature, ApplicationScope scope) {
        this(cache, cache.settings(), feature, scope);
    }

    private CacheBinding(ResponseCache cache, CacheSettings settings, FeatureContext feature, ApplicationScope scope) {
        this.cache = cache;
        this.settings = settings;
        this.scope = scope;
        this.application = feature.getConfiguration();
        this.jerseyRequestFilters = cache != null && RuntimeIntegration.jerseyInjection()
                ? JerseyProviders.requestFilters(feature) : Map::of;
    }

    /**
     * For a cache switched off by configuration: checks every annotation as the cache would ({@code settings} are
     * those it would open with), failing the start-up the same way, and binds nothing.
     */
    static CacheBinding checkingOnly(CacheSettings settings, FeatureContext feature, ApplicationScope scope) {
        return new CacheBinding(null, settings, feature, scope);
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        try {
            bind(resourceInfo, context);
        } catch (ResponseCacheConfigException refused) {
            // Logged before the runtime and the container wrap it, as a refused setting is.
            throw SharedCache.refused(refused, scope, name -> null);
        }
    }

    private void bind(ResourceInfo resourceInfo, FeatureContext context) {
        Method method = resourceInfo.getResourceMethod();
        Class<?> resource = resourceInfo.getResourceClass();
        if (method == null || resource == null) {
            return;
        }
        String template = fullTemplate(method, resource);
        if (template != null && (find(method, GET.class) != null || find(method, HEAD.class) != null)) {
            readMethods.merge(template, 1, Integer::sum);
        }
        InvalidationBinding.bind(cache, method, resource, context);
        CacheResponse annotation = find(method, CacheResponse.class);
        boolean onMethod = annotation != null;
        if (annotation == null) {
            annotation = resource.getAnnotation(CacheResponse.class);
        }
        if (annotation == null) {
            if (resource.isInterface() && cache != null && interfaceRouteLogged.compareAndSet(false, true)) {
                // RESTEasy names the interface that declares the route, never the class implementing it.
                LOG.warn("{}#{}: the runtime names the interface declaring this route as its resource, so a"
                        + " @CacheResponse or @InvalidatesCache on the implementing class or its method is not seen"
                        + " (RESTEasy): put it on the interface or its method to cache such routes. Logged once",
                        resource.getName(), method.getName());
            }
            return;
        }
        String owner = resource.getName() + "#" + method.getName();
        if (find(method, GET.class) == null) {
            if (onMethod && isHttpMethod(method)) {
                throw new ResponseCacheConfigException(owner + ": @CacheResponse caches GET methods only");
            }
            return;
        }
        // The whole annotation is checked before anything decides whether the method is cached.
        CachePolicy policy = CachePolicy.of(owner, annotation.ttl(), annotation.varyBy(), annotation.statuses(),
                annotation.sharedAcrossUsers(),
                new StaleSeconds(annotation.staleWhileRevalidate(), annotation.staleIfError()), settings)
                .withRoute(resource.getSimpleName() + "#" + method.getName());
        List<TagTemplate> tags = InvalidationBinding.tags(owner, annotation, method, resource);
        long staleIfErrorDeadline = ErrorFallback.checkedDeadline(owner, annotation.staleIfErrorDeadline());
        List<MediaType> produced = produced(method, resource);
        String streamed = StreamedResponses.streamedBy(method, produced);
        if (streamed != null) {
            // Written piece by piece after the method returns: never stored, so not looked up either.
            if (cache != null) {
                LOG.warn("{}: @CacheResponse is ignored, since {}: a streamed response (server-sent events, a"
                        + " chunked output) is never cached", owner, streamed);
            }
            return;
        }
        // Where the runtime configures features as they are registered (RESTEasy), the filters registered after
        // the feature are known by now, in the method's configuration.
        PriorityTies.refuse(owner, method, resource, application, context.getConfiguration());
        if (cache == null) {
            return;
        }
        Class<?> last = PriorityTies.atTheLast(method, resource, application, context.getConfiguration());
        if (last != null) {
            LOG.warn("{} is not cached: {}, a response filter or writer interceptor at a priority of {} or below, may"
                    + " run for it after the cache's last one, which stores a response once every header line is on"
                    + " it; a Set-Cookie or a Cache-Control: private it added would not be seen. Give it a higher"
                    + " priority to cache this method", owner, last.getName(), CachingFilter.VERDICT_PRIORITY);
            return;
        }
        // Before anything learns the key's shape from the policy.
        policy = UnkeyedParameters.keyed(owner, method, resource, policy);
        if (QueryReading.asSent(method, resource)) {
            policy = policy.withQueryAsSent();
        }
        boolean alone = template != null && !hasSibling(method, resource);
        int lookup = LookupPriority.of(owner, jerseyRequestFilters, application, context.getConfiguration());
        if (lookup == LookupPriority.NOT_CACHED) {
            return;
        }
        CachingFilter filter = new CachingFilter(cache, policy, Representation.of(produced, resource, method),
                () -> alone && readMethods.getOrDefault(template, 0) == 1, JaxrsHeaders.of(context.getConfiguration()),
                EntityAnnotations.of(method, application));
        filter.tagWith(tags);
        filter.answerStaleAfter(staleIfErrorDeadline);
        context.register(filter, Map.of(
                ContainerRequestFilter.class, lookup,
                ContainerResponseFilter.class, CachingFilter.STORE_PRIORITY,
                WriterInterceptor.class, CachingFilter.CAPTURE_PRIORITY));
        context.register(filter.snapshot(), Map.of(ContainerResponseFilter.class, CachingFilter.SNAPSHOT_PRIORITY));
        context.register(filter.verdict(), Map.of(ContainerResponseFilter.class, CachingFilter.VERDICT_PRIORITY));
        context.register(filter.sealing(), Map.of(WriterInterceptor.class, CachingFilter.VERDICT_PRIORITY));
        context.register(ApplicationPipeline.class, Map.of(ContainerRequestFilter.class,
                lookup - LookupPriority.BELOW));
        if (ServletSessionProbe.available()) {
            context.register(ServletSessionProbe.class, Map.of(ContainerRequestFilter.class, lookup - 1));
            // After the lookup: a hit, which ends the request filters, never pays for it.
            context.register(ServletResponseProbe.class, Map.of(ContainerRequestFilter.class,
                    lookup + LookupPriority.ABOVE));
        }
        if (RuntimeIntegration.jerseyOnGrizzly()) {
            context.register(GrizzlySessionProbe.class, Map.of(ContainerRequestFilter.class, lookup - 1));
        }
    }

    private static List<MediaType> produced(Method method, Class<?> resource) {
        Produces produces = find(method, Produces.class);
        if (produces == null) {
            produces = resource.getAnnotation(Produces.class);
        }
        List<MediaType> types = new ArrayList<>();
        if (produces != null) {
            for (String value : produces.value()) {
                for (String type : value.split(",")) {
                    types.add(MediaType.valueOf(type.trim()));
                }
            }
        }
        return types;
    }

    /**
     * Whether another GET or HEAD method of the resource class serves the same path template: the runtime chooses
     * between them by the request's headers, which an early hit cannot repeat, so this method's entries are answered
     * by the runtime only.
     */
    private static boolean hasSibling(Method method, Class<?> resource) {
        String template = template(find(method, Path.class));
        for (Method other : resource.getMethods()) {
            if (!other.equals(method) && (find(other, GET.class) != null || find(other, HEAD.class) != null)
                    && template.equals(template(find(other, Path.class)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The resource class's and the method's path templates joined, or null for a class without {@code @Path} (a
     * sub-resource, whose full path depends on the locator that returned it).
     */
    private static String fullTemplate(Method method, Class<?> resource) {
        Path root = resource.getAnnotation(Path.class);
        if (root == null) {
            return null;
        }
        String sub = template(find(method, Path.class));
        return sub.isEmpty() ? template(root) : template(root) + "/" + sub;
    }

    /** A path template with its slashes trimmed and its variables unnamed, to compare two of them. */
    private static String template(Path path) {
        String value = path == null ? "" : path.value();
        return value.replaceAll("\\{[^}]*}", "{}").replaceAll("^/+|/+$", "");
    }

    private static boolean isHttpMethod(Method method) {
        for (Annotation annotation : JaxrsAnnotatedMethod.of(method).getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A JAX-RS annotation where the runtime reads it ({@link JaxrsAnnotatedMethod}); the cache's own annotation on the
     * method or on the method it implements.
     */
    private static <A extends Annotation> A find(Method method, Class<A> type) {
        return type == CacheResponse.class ? JaxrsAnnotatedMethod.inherited(method, type)
                : JaxrsAnnotatedMethod.of(method).getAnnotation(type);
    }
}
