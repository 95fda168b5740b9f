package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.lang.reflect.Method;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JAX-RS annotations are read where the runtime reads them: a resource method with JAX-RS annotations of its own
 * inherits none of its interface's (JAX-RS 3.1, section 3.6), so an interface's {@code @Produces} does not fix the
 * method's type.
 */
class InheritedAnnotationsTest {

    private final AtomicReference<String> stock = new AtomicReference<>("v0");
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(Listing.class).register(new Catalogue(stock))
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * The interface's {@code @Produces} was taken for the method's, so every {@code Accept} shared one entry, while
     * the runtime, ignoring it, negotiated the type from each request's {@code Accept}: one client's type was replayed
     * to the next.
     */
    @Test
    void interfacesProducesIgnoredByTheRuntimeDoesNotFixTheKeysType() {
        HttpResponse<String> html = server.getText("/api/listing", "Accept", "text/html");
        assertEquals("text/html", html.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> json = server.getText("/api/listing", "Accept", "application/json");
        assertEquals("application/json", json.headers().firstValue("Content-Type").orElseThrow(),
                "X-Cache: " + json.headers().firstValue("X-Cache").orElse("none"));
    }

    /**
     * A contract declaring the routes, an implementation declaring only the caching: the PUT, read from the
     * implementation, had no HTTP method, so it evicted nothing and the old page kept answering until its ttl.
     */
    @Test
    void unsafeMethodTheContractDeclaresEvictsWhatTheImplementationCached() {
        assertEquals("v0", server.getText("/api/catalogue/7").body());
        assertEquals("HIT", server.getText("/api/catalogue/7").headers().firstValue("X-Cache").orElse("none"));
        HttpResponse<byte[]> put = server.send(server.request("/api/catalogue/7")
                .PUT(HttpRequest.BodyPublishers.ofString("v1")).header("Content-Type", "text/plain").build());
        assertEquals(204, put.statusCode());
        assertEquals("v1", server.getText("/api/catalogue/7").body());
    }

    /**
     * RESTEasy hands over the implementation, whose parameters may repeat the contract's annotations; the route is the
     * contract's (RESTEasy reads it where {@code @Path} or an HTTP method is), so the caching must find it there too.
     */
    @Test
    void implementationRepeatingParameterAnnotationsReadsTheContractsRoute() throws NoSuchMethodException {
        Method implementation = Repeating.class.getMethod("get", String.class);
        Method annotated = JaxrsAnnotatedMethod.of(implementation);
        assertEquals(CatalogueApi.class, annotated.getDeclaringClass());
        assertEquals("catalogue/{id}", annotated.getAnnotation(Path.class).value());
        assertEquals(60, JaxrsAnnotatedMethod.inherited(implementation, CacheResponse.class).ttl());
    }

    /** The routes, as a client proxy shares them. */
    public interface CatalogueApi {
        @GET
        @Path("catalogue/{id}")
        @Produces(MediaType.TEXT_PLAIN)
        String get(@PathParam("id") String id);

        @PUT
        @Path("catalogue/{id}")
        void put(@PathParam("id") String id, String value);
    }

    @Path("")
    public static final class Catalogue implements CatalogueApi {
        private final AtomicReference<String> stock;

        Catalogue(AtomicReference<String> stock) {
            this.stock = stock;
        }

        @Override
        @CacheResponse(ttl = 60)
        public String get(String id) {
            return stock.get();
        }

        @Override
        public void put(String id, String value) {
            stock.set(value);
        }
    }

    /** The shape RESTEasy serves: parameters annotated again on the implementation. */
    public static final class Repeating implements CatalogueApi {
        @Override
        @CacheResponse(ttl = 60)
        public String get(@PathParam("id") String id) {
            return id;
        }

        @Override
        public void put(@PathParam("id") String id, String value) {
            // not called
        }
    }

    /** A contract a client proxy shares; the implementation declares its own JAX-RS annotations. */
    public interface Listings {
        @Produces(MediaType.APPLICATION_XML)
        String list();
    }

    @Path("listing")
    public static final class Listing implements Listings {
        @GET
        @CacheResponse(ttl = 60)
        @Override
        public String list() {
            return "list";
        }
    }
}
