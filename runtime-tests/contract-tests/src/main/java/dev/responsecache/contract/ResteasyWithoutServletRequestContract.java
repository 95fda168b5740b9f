package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Variant;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.mock.MockHttpRequest;
import org.jboss.resteasy.mock.MockHttpResponse;
import org.jboss.resteasy.spi.Dispatcher;
import org.jboss.resteasy.spi.HttpResponse;
import org.jboss.resteasy.spi.ResteasyDeployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RESTEasy outside a servlet container (here a deployment started as its Netty, Undertow and JDK HTTP servers start
 * theirs, handed RESTEasy's in-memory requests) has no servlet request, yet injects a proxy for {@code @Context
 * HttpServletRequest} whose every call throws. The session probe took that for a servlet request it could not read
 * and failed closed: nothing was ever stored, any cookie counted as a session, and a warning was logged. With no
 * servlet request the cache reads the request itself, as on Jersey's Grizzly container.
 */
public abstract class ResteasyWithoutServletRequestContract {

    private final AtomicInteger calls = new AtomicInteger();
    private final Logger logger = Logger.getLogger("dev.responsecache");
    private final List<String> warnings = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()
                    && record.getMessage().contains("servlet request")) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ResteasyDeployment deployment;
    private Dispatcher dispatcher;

    @BeforeEach
    void start() {
        logger.addHandler(handler);
        // As RESTEasy's standalone servers (Netty, Undertow, JDK HTTP) start one; they then hand it each request.
        deployment = new ResteasyDeploymentImpl();
        deployment.getResources().add(new Page(calls));
        deployment.getResources().add(new Language(calls));
        deployment.getResources().add(new OwnResponse(calls));
        deployment.getActualProviderClasses().add(ResponseCacheFeature.class);
        deployment.start();
        dispatcher = deployment.getDispatcher();
    }

    @AfterEach
    void stop() {
        deployment.stop();
        logger.removeHandler(handler);
    }

    @Test
    void resteasyWithoutAServletContainerStoresAndServesHits() throws Exception {
        assertEquals("MISS", get("/page").getOutputHeaders().getFirst("X-Cache"));
        MockHttpResponse hit = get("/page");
        assertEquals("HIT", hit.getOutputHeaders().getFirst("X-Cache"));
        assertEquals("page 1", hit.getContentAsString());
        MockHttpResponse visitor = get("/page", "lang=en; _ga=GA1.1.1");
        assertEquals("HIT", visitor.getOutputHeaders().getFirst("X-Cache"), "a cookie that is not the session's");
        assertEquals(List.of(), warnings);
    }

    @Test
    void sessionNamedByTheRequestStillBypassesWithoutAServletContainer() throws Exception {
        get("/page");
        MockHttpResponse member = get("/page", "JSESSIONID=abc");
        assertEquals("ResponseCache; fwd=bypass; detail=session", member.getOutputHeaders().getFirst("Cache-Status"));
        assertEquals("page 2", member.getContentAsString());
        assertEquals("ResponseCache; fwd=bypass; detail=session",
                get("/page;jsessionid=abc").getOutputHeaders().getFirst("Cache-Status"));
    }

    /**
     * RESTEasy writes the {@code Vary} of {@code Request.selectVariant} to its own response, beside the JAX-RS
     * response: the entry knew nothing of it, and the German page answered every later visitor in any language.
     */
    @Test
    void languageRequestSelectVariantChoseWasAnsweredToAnotherLanguage() throws Exception {
        assertEquals("hallo 1", language("de").getContentAsString());
        assertEquals("bonjour 2", language("fr").getContentAsString());
        MockHttpResponse german = language("de");
        assertEquals("hallo 1", german.getContentAsString());
        assertEquals("HIT", german.getOutputHeaders().getFirst("X-Cache"));
        assertEquals("Accept-Language", german.getOutputHeaders().getFirst("Vary"));
        assertEquals("bonjour 2", language("fr").getContentAsString());
    }

    /**
     * RESTEasy hands a method its own response ({@code @Context HttpResponse}), whose lines its standalone servers
     * send beside the JAX-RS response: a cookie set there (a {@code Set-Cookie} line of its output headers) went to
     * the first visitor only, and the page holding that visitor's token was stored and answered to others.
     */
    @Test
    void cookieSetOnResteasysOwnResponseWasStoredAndItsPageAnsweredToOthers() throws Exception {
        MockHttpResponse first = get("/own-response/cookie");
        assertEquals("form with token 1", first.getContentAsString());
        assertEquals("ResponseCache; fwd=uri-miss; detail=set-cookie", first.getOutputHeaders().getFirst("Cache-Status"));
        MockHttpResponse second = get("/own-response/cookie");
        assertEquals("form with token 2", second.getContentAsString());
        assertEquals("csrf=2", second.getOutputHeaders().getFirst("Set-Cookie"));
    }

    /** A header line set there goes to that client only: the response is not stored, as in a servlet container. */
    @Test
    void headerSetOnResteasysOwnResponseWasMissingFromEveryHit() throws Exception {
        MockHttpResponse first = get("/own-response/header");
        assertEquals("ResponseCache; fwd=uri-miss; detail=servlet-response",
                first.getOutputHeaders().getFirst("Cache-Status"));
        MockHttpResponse second = get("/own-response/header");
        assertEquals("page 2", second.getContentAsString());
        assertEquals("t2", second.getOutputHeaders().getFirst("X-Token"));
    }

    private MockHttpResponse language(String language) throws URISyntaxException {
        MockHttpRequest request = MockHttpRequest.get("/language").header("Accept-Language", language);
        MockHttpResponse response = new MockHttpResponse();
        dispatcher.invoke(request, response);
        assertEquals(200, response.getStatus(), new String(response.getOutput(), StandardCharsets.UTF_8));
        return response;
    }

    private MockHttpResponse get(String path, String... cookie) throws URISyntaxException {
        MockHttpRequest request = MockHttpRequest.get(path);
        if (cookie.length > 0) {
            request.header("Cookie", cookie[0]);
        }
        MockHttpResponse response = new MockHttpResponse();
        dispatcher.invoke(request, response);
        assertEquals(200, response.getStatus(), new String(response.getOutput(), StandardCharsets.UTF_8));
        return response;
    }

    @Path("page")
    public static final class Page {
        private final AtomicInteger calls;

        Page(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String page() {
            return "page " + calls.incrementAndGet();
        }
    }

    @Path("language")
    public static final class Language {
        private final AtomicInteger calls;

        Language(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Response language(@Context Request request) {
            Variant variant = request.selectVariant(Variant.languages(Locale.GERMAN, Locale.FRENCH).add().build());
            Locale language = variant == null ? Locale.GERMAN : variant.getLanguage();
            String greeting = Locale.FRENCH.equals(language) ? "bonjour " : "hallo ";
            return Response.ok(greeting + calls.incrementAndGet()).language(language).build();
        }
    }

    @Path("own-response")
    public static final class OwnResponse {
        private final AtomicInteger calls;

        OwnResponse(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Path("cookie")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String cookie(@Context HttpResponse response) {
            int call = calls.incrementAndGet();
            response.getOutputHeaders().add("Set-Cookie", "csrf=" + call);
            return "form with token " + call;
        }

        @GET
        @Path("header")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String header(@Context HttpResponse response) {
            int call = calls.incrementAndGet();
            response.getOutputHeaders().add("X-Token", "t" + call);
            return "page " + call;
        }
    }
}
