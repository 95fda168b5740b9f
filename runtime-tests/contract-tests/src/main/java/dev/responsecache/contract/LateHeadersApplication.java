package dev.responsecache.contract;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.annotation.Priority;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Header lines that keep a response out of a shared cache ({@code Set-Cookie}, {@code Cache-Control: private} or
 * {@code no-store}, a {@code Vary}), added after the resource method returned: by an application response filter at a
 * priority below the cache's last one (so it runs after it), by an application writer interceptor, or by the message
 * body writer in {@code writeTo}. Paths are {@code /api/late/{by}/{line}/{shape}}: {@code by} one of {@code filter},
 * {@code interceptor}, {@code writer}; {@code line} one of {@code cookie}, {@code private}, {@code no-store},
 * {@code vary}; {@code shape} {@code empty} (a 204), {@code bare} (a 200 without an entity) or {@code body}. Every
 * answer names the {@code X-Tenant} the request sent (the {@code Vary} the late line adds is on it) and the call.
 */
public class LateHeadersApplication extends Application {

    /** The header a tenant's pages depend on, which the late {@code Vary} names. */
    public static final String TENANT = "X-Tenant";

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, Pages.class, LateFilter.class, LateInterceptor.class,
                PageWriter.class);
    }

    /** The line a path asks for, as the late header it adds. */
    static void addLine(String line, MultivaluedMap<String, Object> headers) {
        switch (line) {
            case "cookie" -> headers.add("Set-Cookie", "visitor=late; Path=/");
            case "private" -> headers.add("Cache-Control", "private");
            case "no-store" -> headers.add("Cache-Control", "no-store");
            case "vary" -> headers.add("Vary", TENANT);
            default -> throw new IllegalArgumentException(line);
        }
    }

    /** The page an entity is written as, through {@link PageWriter}. */
    public record Page(String text) {
    }

    @Path("late")
    public static class Pages {
        @Context
        private ServletContext servletContext;

        /** Read through the header map, which the cache cannot see (a {@code @HeaderParam} would key on it). */
        @Context
        private HttpHeaders headers;

        private String answer() {
            return headers.getHeaderString(TENANT) + " " + Counters.counter(servletContext, Counters.CALLS)
                    .incrementAndGet();
        }

        @GET
        @Path("{by}/{line}/empty")
        @CacheResponse(ttl = 60)
        public Response empty() {
            return Response.noContent().header("X-Answer", answer()).build();
        }

        @GET
        @Path("{by}/{line}/bare")
        @CacheResponse(ttl = 60)
        public Response bare() {
            return Response.ok().header("X-Answer", answer()).build();
        }

        @GET
        @Path("{by}/{line}/body")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Page body() {
            return new Page(answer());
        }
    }

    /**
     * Below the cache's response filter at 100: runs after it, on every response of {@code /late/filter/…}; on
     * {@code /late/replace/status/…} it answers 203 instead, on {@code /late/replace/entity/…} without the entity.
     */
    @Priority(50)
    public static class LateFilter implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            List<String> segments = segments(request.getUriInfo());
            if (segments.size() == 4 && segments.get(1).equals("replace")) {
                // The status or the entity, which the cache's filter at 100 judged before.
                if (segments.get(2).equals("status")) {
                    response.setStatus(203);
                } else {
                    response.setEntity(null);
                }
            } else if (segments.size() == 4 && segments.get(1).equals("filter")) {
                addLine(segments.get(2), response.getHeaders());
            }
        }
    }

    /** An application writer interceptor (outside the cache's), on every entity of {@code /late/interceptor/…}. */
    public static class LateInterceptor implements WriterInterceptor {
        @Context
        private UriInfo uri;

        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            List<String> segments = segments(uri);
            if (segments.size() == 4 && segments.get(1).equals("interceptor")) {
                addLine(segments.get(2), context.getHeaders());
            }
            context.proceed();
            if (segments.size() == 4 && segments.get(1).equals("after")) {
                // After the body: the runtime still sends it when it has not committed the response by then.
                addLine(segments.get(2), context.getHeaders());
            }
        }
    }

    /** Writes a {@link Page}; in {@code writeTo}, adds the line of a {@code /late/writer/…} path. */
    @Produces(MediaType.TEXT_PLAIN)
    public static class PageWriter implements MessageBodyWriter<Page> {
        @Context
        private UriInfo uri;

        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == Page.class;
        }

        @Override
        public void writeTo(Page page, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws IOException {
            List<String> segments = segments(uri);
            if (segments.size() == 4 && segments.get(1).equals("writer")) {
                addLine(segments.get(2), headers);
            }
            out.write(page.text().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> segments(UriInfo uri) {
        String path = uri.getPath();
        return List.of((path.startsWith("/") ? path.substring(1) : path).split("/"));
    }
}
