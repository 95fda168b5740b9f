package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.mvc.Template;
import org.glassfish.jersey.server.mvc.Viewable;
import org.glassfish.jersey.server.mvc.mustache.MustacheMvcFeature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey MVC's writer interceptor puts a {@code Viewable} in place of a {@code @Template} method's model as it is
 * written, which the cache took for an application replacing the entity: no {@code @Template} page was stored. A hit
 * is not rendered again (its entity carries no {@code @Template}), so that replacement is admitted; any other one,
 * around a template too, still keeps the response out. Rendered by Mustache, as an application would.
 */
class JerseyMvcTemplatesTest {

    private final Pages pages = new Pages();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(pages).register(MustacheMvcFeature.class)
                .property(MustacheMvcFeature.TEMPLATE_BASE_PATH, "mvc-templates").register(UserFromHeader.class)
                .register(EnvelopeAroundTheModelFilter.class).register(EnvelopeInTheViewableInterceptor.class)
                .register(TemplateByLanguageInterceptor.class).register(TemplateByLanguageFilter.class)
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aTemplateMethodIsAnsweredFromTheCacheWithTheSameBytesAndContentType() {
        HttpResponse<byte[]> first = server.get("/api/pages/greeting");
        assertEquals("<p>Hello Ada</p>\n", new String(first.body()));
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElse("none"));
        HttpResponse<byte[]> second = server.get("/api/pages/greeting");
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElse("none"),
                second.headers().firstValue("Cache-Status").orElse("none"));
        assertEquals(new String(first.body()), new String(second.body()));
        assertEquals(first.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse("none"),
                second.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse("none"));
        assertTrue(second.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse("").startsWith("text/html"));
    }

    @Test
    void aHitOfATemplateMethodIsNotRenderedAgain() {
        server.get("/api/pages/greeting");
        server.get("/api/pages/greeting");
        HttpResponse<byte[]> third = server.get("/api/pages/greeting");
        assertEquals("HIT", third.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("<p>Hello Ada</p>\n", new String(third.body()));
        assertEquals(1, pages.invocations.get());
        assertEquals(1, pages.renders.get());
    }

    @Test
    void aMethodReturningAViewableIsAnsweredFromTheCache() {
        HttpResponse<byte[]> first = server.get("/api/pages/viewable");
        assertEquals("<p>Hello Grace</p>\n", new String(first.body()));
        HttpResponse<byte[]> second = server.get("/api/pages/viewable");
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElse("none"));
        assertEquals(new String(first.body()), new String(second.body()));
        assertEquals(first.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse("none"),
                second.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse("none"));
        assertEquals(1, pages.renders.get());
    }

    @Test
    void aTemplateMethodVaryingByAHeaderKeepsAnEntryPerValue() {
        assertEquals("<p>Hello Ada</p>\n", server.getText("/api/pages/language", "Accept-Language", "en").body());
        assertEquals("<p>Hello Ada (de)</p>\n",
                server.getText("/api/pages/language", "Accept-Language", "de").body());
        HttpResponse<String> english = server.getText("/api/pages/language", "Accept-Language", "en");
        assertEquals("HIT", english.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("<p>Hello Ada</p>\n", english.body());
        HttpResponse<String> german = server.getText("/api/pages/language", "Accept-Language", "de");
        assertEquals("HIT", german.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("<p>Hello Ada (de)</p>\n", german.body());
    }

    @Test
    void aTemplateMethodVaryingByPrincipalAnswersEachUserTheirOwnPageAndNoneWithoutOne() {
        assertEquals("<p>Account of ada</p>\n", server.getText("/api/pages/account", "X-User", "ada").body());
        assertEquals("<p>Account of bob</p>\n", server.getText("/api/pages/account", "X-User", "bob").body());
        HttpResponse<String> ada = server.getText("/api/pages/account", "X-User", "ada");
        assertEquals("HIT", ada.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("<p>Account of ada</p>\n", ada.body());
        assertEquals(401, server.getText("/api/pages/account").statusCode());
    }

    @Test
    void aFilterReplacingATemplateMethodsModelStillKeepsTheResponseOut() {
        HttpResponse<String> first = server.getText("/api/pages/filtered");
        assertEquals("<p>Hello [Ada]</p>\n", first.body());
        assertTrue(first.headers().firstValue("Cache-Status").orElse("").endsWith("detail=entity-replaced"),
                first.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<String> second = server.getText("/api/pages/filtered");
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("<p>Hello [Ada]</p>\n", second.body());
    }

    @Test
    void anInterceptorReplacingTheModelInsideTheViewableStillKeepsTheResponseOut() {
        // Found as the body is written, after the miss's headers went out: the next request tells.
        assertEquals("<p>Hello [Ada]</p>\n", server.getText("/api/pages/intercepted").body());
        HttpResponse<String> second = server.getText("/api/pages/intercepted");
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("<p>Hello [Ada]</p>\n", second.body());
    }

    @Test
    void anInterceptorChoosingTheTemplateByLanguageNeverServesOneLanguageToAnother() {
        // The application's interceptor swaps the @Template Jersey MVC reads: what is written is Jersey MVC's own
        // Viewable of the written @Template around the method's model, yet the method's template is not the one
        // rendered, and a hit, which Jersey MVC does not render, would answer every language with the first.
        assertEquals("<p>Hallo Ada</p>\n", server.getText("/api/pages/localized", "Accept-Language", "de").body());
        HttpResponse<String> english = server.getText("/api/pages/localized", "Accept-Language", "en");
        assertEquals("<p>Hello Ada</p>\n", english.body());
        assertEquals("MISS", english.headers().firstValue("X-Cache").orElse("none"));
    }

    @Test
    void aResponseFilterChoosingTheTemplateByLanguageNeverServesOneLanguageToAnother() {
        // The same choice made by a response filter, which keeps the model and gives it other annotations.
        assertEquals("<p>Hallo Ada</p>\n",
                server.getText("/api/pages/localized-by-filter", "Accept-Language", "de").body());
        HttpResponse<String> english = server.getText("/api/pages/localized-by-filter", "Accept-Language", "en");
        assertEquals("<p>Hello Ada</p>\n", english.body());
        assertEquals("MISS", english.headers().firstValue("X-Cache").orElse("none"));
    }

    /** What the templates read: {@code name} is read once per rendering. */
    public static final class Person {
        private final String name;
        private final AtomicInteger renders;

        Person(String name, AtomicInteger renders) {
            this.name = name;
            this.renders = renders;
        }

        public String name() {
            renders.incrementAndGet();
            return name;
        }
    }

    @Path("pages")
    public static class Pages {
        final AtomicInteger invocations = new AtomicInteger();
        final AtomicInteger renders = new AtomicInteger();

        @GET
        @Path("greeting")
        @Produces(MediaType.TEXT_HTML)
        @Template(name = "/greeting")
        @CacheResponse(ttl = 60)
        public Person greeting() {
            invocations.incrementAndGet();
            return new Person("Ada", renders);
        }

        @GET
        @Path("viewable")
        @Produces(MediaType.TEXT_HTML)
        @CacheResponse(ttl = 60)
        public Viewable viewable() {
            return new Viewable("/greeting", new Person("Grace", renders));
        }

        @GET
        @Path("language")
        @Produces(MediaType.TEXT_HTML)
        @Template(name = "/greeting")
        @CacheResponse(ttl = 60, varyBy = "header:Accept-Language")
        public Person language(@Context HttpHeaders headers) {
            String language = headers.getHeaderString("Accept-Language");
            return new Person("de".equals(language) ? "Ada (de)" : "Ada", renders);
        }

        @GET
        @Path("account")
        @Produces(MediaType.TEXT_HTML)
        @Template(name = "/account")
        @CacheResponse(ttl = 60, varyBy = "principal")
        public Person account(@Context SecurityContext security) {
            return new Person(security.getUserPrincipal().getName(), renders);
        }

        @GET
        @Path("localized")
        @Produces(MediaType.TEXT_HTML)
        @Template(name = "/greeting")
        @CacheResponse(ttl = 60)
        public Person localized() {
            return new Person("Ada", renders);
        }

        @GET
        @Path("localized-by-filter")
        @Produces(MediaType.TEXT_HTML)
        @Template(name = "/greeting")
        @CacheResponse(ttl = 60)
        public Person localizedByFilter() {
            return new Person("Ada", renders);
        }

        @GET
        @Path("filtered")
        @Produces(MediaType.TEXT_HTML)
        @Template(name = "/greeting")
        @CacheResponse(ttl = 60)
        public Person filtered() {
            return new Person("Ada", renders);
        }

        @GET
        @Path("intercepted")
        @Produces(MediaType.TEXT_HTML)
        @Template(name = "/greeting")
        @CacheResponse(ttl = 60)
        public Person intercepted() {
            return new Person("Ada", renders);
        }
    }

    /** The application's authentication: {@code X-User} names the user, and the account page requires one. */
    @Priority(Priorities.AUTHENTICATION)
    public static final class UserFromHeader implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String user = request.getHeaderString("X-User");
            if (user == null) {
                if (request.getUriInfo().getPath().endsWith("account")) {
                    request.abortWith(Response.status(Response.Status.UNAUTHORIZED).build());
                }
                return;
            }
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return false;
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "header";
                }
            });
        }
    }

    /** An envelope of the application around the model of one page, put there by a response filter. */
    public static class EnvelopeAroundTheModelFilter implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getUriInfo().getPath().endsWith("filtered") && response.getEntity() instanceof Person person) {
                response.setEntity(new Person("[" + person.name + "]", person.renders),
                        response.getEntityAnnotations(), response.getMediaType());
            }
        }
    }

    /**
     * The application's choice of a translated template: before Jersey MVC's interceptor reads the {@code @Template}
     * (priority {@code ENTITY_CODER}), it writes the entity with the German one in its place.
     */
    @Priority(Priorities.HEADER_DECORATOR)
    public static final class TemplateByLanguageInterceptor implements WriterInterceptor {
        @Context
        private HttpHeaders headers;
        @Context
        private UriInfo uri;

        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            if (uri.getPath().endsWith("localized") && "de".equals(headers.getHeaderString("Accept-Language"))) {
                context.setAnnotations(german(context.getAnnotations()));
            }
            context.proceed();
        }

        /** {@code annotations} with the German template in place of the {@code @Template}. */
        static Annotation[] german(Annotation[] annotations) {
            Annotation[] german = annotations.clone();
            for (int i = 0; i < german.length; i++) {
                if (german[i] instanceof Template) {
                    german[i] = germanTemplate();
                }
            }
            return german;
        }

        private static Template germanTemplate() {
            try {
                return TemplateByLanguageInterceptor.class.getDeclaredMethod("annotatedGerman")
                        .getAnnotation(Template.class);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }

        @Template(name = "/greeting-de")
        private static void annotatedGerman() {
        }
    }

    /** The same choice, made by a response filter that keeps the model and gives it the German template. */
    public static final class TemplateByLanguageFilter implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getUriInfo().getPath().endsWith("localized-by-filter")
                    && "de".equals(request.getHeaderString("Accept-Language"))) {
                response.setEntity(response.getEntity(),
                        TemplateByLanguageInterceptor.german(response.getEntityAnnotations()), response.getMediaType());
            }
        }
    }

    /** The same envelope, put inside the {@code Viewable} Jersey MVC made, as the page is written. */
    public static class EnvelopeInTheViewableInterceptor implements WriterInterceptor {
        @Context
        private UriInfo uri;

        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            if (uri.getPath().endsWith("intercepted") && context.getEntity() instanceof Viewable viewable
                    && viewable.getModel() instanceof Person person) {
                context.setEntity(new Viewable(viewable.getTemplateName(),
                        new Person("[" + person.name + "]", person.renders)));
            }
            context.proceed();
        }
    }
}
