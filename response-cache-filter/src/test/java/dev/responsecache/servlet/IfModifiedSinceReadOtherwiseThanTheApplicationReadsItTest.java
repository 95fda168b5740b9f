package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;
import java.util.function.BiFunction;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cache read an {@code If-Modified-Since} with Java's RFC 1123 parser, which takes a date without its day name or
 * its seconds ({@code 01 Jan 2020 00:00:00 GMT}) and refuses one whose day name does not fit the date. The
 * applications read such dates each their own way: Jersey's {@code evaluatePreconditions} ignores the first (the whole
 * 200, where the hit answered 304), Jetty reads it as a date (304), Tomcat's {@code getDateHeader} throws (a 500 from
 * a servlet's {@code getLastModified}), and all three read the second (304, where the hit answered 200). A date that
 * is not an HTTP-date as RFC 9110 writes it, its day name the date's own, is now left to the application, on every
 * hit path; the dates every reader reads alike are still answered from the entry.
 */
class IfModifiedSinceReadOtherwiseThanTheApplicationReadsItTest {

    private static final long LAST_MODIFIED = 1577836800000L;
    /** Read otherwise by one application or another. */
    private static final List<String> READ_OTHERWISE = List.of("01 Jan 2020 00:00:00 GMT",
            "Wed, 01 Jan 2020 00:00 GMT", "Mon, 01 Jan 2020 00:00:00 GMT", "Tue, 01 Jan 2030 00:00:00 +0000",
            "Wed, 01 Jan 2020 00:00:00 UTC", "Wed, 01 Jan 2030 00:00:00 GMT");
    /** HTTP-dates in each of the three formats, at or after the stored {@code Last-Modified}. */
    private static final List<String> READ_ALIKE = List.of("Wed, 01 Jan 2020 00:00:00 GMT",
            "Tue, 01 Jan 2030 00:00:00 GMT", "Wednesday, 01-Jan-20 00:00:00 GMT", "Wed Jan  1 00:00:00 2020", "Wed, 1 Jan 2020 00:00:00 GMT");

    private static void answeredAsTheApplicationAnswers(BiFunction<String, String, HttpResponse<String>> cached,
            BiFunction<String, String, HttpResponse<String>> alone, String path) {
        assertEquals(200, cached.apply(path, null).statusCode());
        assertEquals("HIT", xCache(cached.apply(path, null)));
        for (String date : READ_OTHERWISE) {
            HttpResponse<String> left = cached.apply(path, date);
            assertEquals(alone.apply(path, date).statusCode(), left.statusCode(), date);
            assertNotEquals("HIT", xCache(left), date);
        }
        for (String date : READ_ALIKE) {
            HttpResponse<String> notModified = cached.apply(path, date);
            assertEquals(304, alone.apply(path, date).statusCode(), date);
            assertEquals(304, notModified.statusCode(), date);
            assertEquals("HIT", xCache(notModified), date);
        }
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private static BiFunction<String, String, HttpResponse<String>> client(Container.Running app) {
        return (path, date) -> date == null ? app.get(path) : app.get(path, "If-Modified-Since", date);
    }

    private static BiFunction<String, String, HttpResponse<String>> client(TestServer server) {
        return (path, date) -> date == null ? server.getText(path) : server.getText(path, "If-Modified-Since", date);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletFilter(Container container) {
        try (Container.Running alone = container.start(new ServletApp()
                .servlet("modified", new LastModifiedServlet(), "/doc"));
             Container.Running cached = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/*", "ttl", "60")
                .servlet("modified", new LastModifiedServlet(), "/doc"))) {
            answeredAsTheApplicationAnswers(client(cached), client(alone), "/doc");
        }
    }

    @Test
    void jaxrsHitBeforeMatching() {
        TestServer alone = TestServer.jersey(new ResourceConfig().register(Doc.class)).start();
        TestServer cached = TestServer.jersey(new ResourceConfig().register(Doc.class)
                .register(ResponseCacheFeature.class)).start();
        try {
            answeredAsTheApplicationAnswers(client(cached), client(alone), "/api/doc");
        } finally {
            cached.close();
            alone.close();
        }
    }

    @Test
    void jaxrsHitInFrontOfTheRuntime() {
        TestServer alone = TestServer.jersey(new ResourceConfig().register(Doc.class)).start();
        TestServer cached = TestServer.jersey(new ResourceConfig().register(Doc.class)
                .register(ResponseCacheFeature.class));
        cached.context().addServletContainerInitializer(new ResponseCacheInitializer());
        cached.start();
        try {
            answeredAsTheApplicationAnswers(client(cached), client(alone), "/api/doc");
        } finally {
            cached.close();
            alone.close();
        }
    }

    /** Answers {@code If-Modified-Since} itself, through {@code HttpServlet}'s {@code getLastModified}. */
    static final class LastModifiedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected long getLastModified(HttpServletRequest request) {
            return LAST_MODIFIED;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("document");
        }
    }

    /** Answers {@code If-Modified-Since} itself, through {@code Request.evaluatePreconditions}. */
    @Path("doc")
    public static final class Doc {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public Response get(@Context Request request) {
            Date modified = new Date(LAST_MODIFIED);
            Response.ResponseBuilder notModified = request.evaluatePreconditions(modified);
            return notModified != null ? notModified.build() : Response.ok("document").lastModified(modified).build();
        }
    }
}
