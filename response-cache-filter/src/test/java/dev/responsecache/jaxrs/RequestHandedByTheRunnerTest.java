package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.glassfish.jersey.InjectionManagerProvider;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.internal.inject.InjectionManager;
import org.glassfish.jersey.internal.util.collection.Ref;
import org.glassfish.jersey.process.internal.RequestScoped;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behind the library's runner, in an application that maps no servlet filter of its own, the runner hands the runtime
 * the servlet request it passes on ({@link EarlyRoutes#RUNTIME_REQUEST}), and a miss's session checks read that
 * request instead of resolving Jersey's injected proxy: it must be the very request Jersey was given, and a session it
 * names must still keep the response out of the cache.
 */
class RequestHandedByTheRunnerTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start() {
        server = TestServer.jersey(new ResourceConfig().register(Probed.class).register(ResponseCacheFeature.class));
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        // Sessions, so that a request's JSESSIONID is a requested session id.
        server.context().setSessionHandler(new SessionHandler());
        server.start();
        // The runner learns, from a first request, that the runtime processes nothing but the cache's own.
        assertEquals(200, server.getText("/api/probed/learn").statusCode());
    }

    @Test
    void missBehindTheRunnerChecksTheSessionOnTheRequestJerseyWasGiven() {
        start();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> miss = server.getText("/api/probed/" + i + "?q=" + i);
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse("none"));
            assertEquals("the request Jersey was given, the runner's hand-off taken", miss.body());
        }
    }

    @Test
    void sessionNamedOnARequestBehindTheRunnerStillBypasses() {
        start();
        HttpResponse<String> withSession = server.getText("/api/probed/session", "Cookie", "JSESSIONID=abc");
        assertEquals("ResponseCache; fwd=bypass; detail=session",
                withSession.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<String> without = server.getText("/api/probed/session");
        assertEquals("MISS", without.headers().firstValue("X-Cache").orElse("none"),
                "the response to the request with a session was not stored");
    }

    @Test
    void runtimeServletThatWrapsTheRequestItselfIsNotHandedTheRunnersRequest() {
        server = TestServer.servlets();
        server.context().addServlet(new ServletHolder("jersey", new WrappingServletContainer(new ResourceConfig()
                .register(Probed.class).register(ResponseCacheFeature.class))), "/api/*");
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.context().setSessionHandler(new SessionHandler());
        server.start();
        assertEquals(200, server.getText("/api/probed/learn").statusCode());
        HttpResponse<String> miss = server.getText("/api/probed/wrapped");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("the request Jersey was given, the runner's hand-off taken", miss.body());
        HttpResponse<String> wrapperSession = server.getText("/api/probed/wrapped-session", "X-Session", "s1");
        assertEquals("ResponseCache; fwd=bypass; detail=session",
                wrapperSession.headers().firstValue("Cache-Status").orElse("none"),
                "the session of the servlet's own wrapper, which the runner's request does not carry");
    }

    @Test
    void requestAnApplicationBinderGivesTheResourceInPlaceOfJerseysWasStoredDespiteItsSession() {
        server = TestServer.jersey(new ResourceConfig().register(Probed.class).register(ResponseCacheFeature.class)
                .register(new WrappingRequestBinding()));
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.context().setSessionHandler(new SessionHandler());
        server.start();
        assertEquals(200, server.getText("/api/probed/learn").statusCode());
        // The first request handed to the runtime carries no session: the binding gives Jersey's request itself.
        HttpResponse<String> plain = server.getText("/api/probed/plain");
        assertEquals("MISS", plain.headers().firstValue("X-Cache").orElse("none"));
        HttpResponse<String> bound = server.getText("/api/probed/bound-session", "X-Session", "s1");
        assertEquals("ResponseCache; fwd=bypass; detail=session",
                bound.headers().firstValue("Cache-Status").orElse("none"),
                "the session of the request the application binds, which the runner's request does not carry");
        HttpResponse<String> stranger = server.getText("/api/probed/bound-session");
        assertEquals("MISS", stranger.headers().firstValue("X-Cache").orElse("none"),
                "the response to the request with a session was not stored");
        assertEquals("the request Jersey was given, the runner's hand-off taken", stranger.body(),
                "the session was read from the request the resource is given");
    }

    /**
     * The application's own binding of the servlet request (ranked above Jersey's): the request Jersey was given, read
     * from Jersey's own reference to it, wrapped to carry a session named by a header when there is one. The resource
     * is injected this request, not the container's.
     */
    static final class WrappingRequestBinding implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            InjectionManager manager = InjectionManagerProvider.getInjectionManager(context);
            context.register(new AbstractBinder() {
                @Override
                protected void configure() {
                    bindFactory(() -> wrapped(manager.<Ref<HttpServletRequest>>getInstance(GIVEN.getType()).get()))
                            .to(HttpServletRequest.class).proxy(true).proxyForSameScope(false)
                            .in(RequestScoped.class).ranked(10);
                }
            });
            return true;
        }
    }

    private static final GenericType<Ref<HttpServletRequest>> GIVEN = new GenericType<>() { };

    /** Wrapped only when a header names a session (a token session's usual shape), else Jersey's request itself. */
    private static HttpServletRequest wrapped(HttpServletRequest http) {
        if (http.getHeader("X-Session") == null) {
            return http;
        }
        return new HttpServletRequestWrapper(http) {
            @Override
            public String getRequestedSessionId() {
                String header = http.getHeader("X-Session");
                return header != null ? header : super.getRequestedSessionId();
            }
        };
    }

    /** Jersey's servlet, subclassed to wrap each request in code of its own: a session named by a header. */
    static final class WrappingServletContainer extends ServletContainer {
        private static final long serialVersionUID = 1L;

        WrappingServletContainer(ResourceConfig application) {
            super(application);
        }

        @Override
        public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
            HttpServletRequest http = (HttpServletRequest) request;
            super.service(new HttpServletRequestWrapper(http) {
                @Override
                public String getRequestedSessionId() {
                    String header = http.getHeader("X-Session");
                    return header != null ? header : super.getRequestedSessionId();
                }
            }, response);
        }
    }

    @Path("probed")
    public static class Probed {
        @GET
        @Path("{n}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String read(@PathParam("n") String n, @Context HttpServletRequest injected) {
            if (!(ContainerSession.from(injected.getAttribute(ContainerSession.PROPERTY))
                    instanceof ServletSessionProbe.Session session)) {
                return "no session probe";
            }
            if (session.request() != Hk2Proxies.underlying(injected)) {
                return "another request than Jersey's";
            }
            return injected.getAttribute(EarlyRoutes.RUNTIME_REQUEST) == null
                    && injected.getAttribute(ServletSessionProbe.RESOLVED) == null
                    ? "the request Jersey was given, the runner's hand-off taken" : "the hand-off left on the request";
        }
    }
}
