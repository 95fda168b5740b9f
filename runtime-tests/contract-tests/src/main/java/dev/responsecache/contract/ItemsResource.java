package dev.responsecache.contract;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.annotation.CacheResponse;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Variant;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Cached resource methods that count their invocations, so that a test tells a hit from a miss. */
@Path("/")
public class ItemsResource {

    @Context
    private ServletContext servletContext;

    @Context
    private ResponseCacheInvalidator invalidator;

    private int call() {
        return Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
    }

    @GET
    @Path("items/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @CacheResponse(ttl = 60)
    public Response item(@PathParam("id") String id) {
        return Response.status(203).header("X-Item", id).header("X-Multi", "one").header("X-Multi", "two")
                .entity("{\"id\":\"" + id + "\",\"call\":" + call() + "}").build();
    }

    /** A file's bytes, cached: RESTEasy cuts a {@code File} entity into the range a request asks for. */
    @GET
    @Path("files/cached")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public File cachedFile() {
        return TextFile.FILE;
    }

    /** The same file, uncached: what the runtime answers alone. */
    @GET
    @Path("files/uncached")
    @Produces(MediaType.TEXT_PLAIN)
    public File uncachedFile() {
        return TextFile.FILE;
    }

    /** A page relayed from behind an upstream cache, whose status fields it carries (one line empty). */
    @GET
    @Path("upstream-cached")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response upstreamCached() {
        // An empty line and padding, as relayed: left out and trimmed on the miss and on every hit alike.
        return Response.ok("upstream-cached " + call()).header("Cache-Status", "")
                .header("Cache-Status", " OriginCache; hit ").header("X-Cache", "HIT").build();
    }

    /** The instant {@link #typedHeaders()} puts in its date headers: a two-digit day, as every date format writes it. */
    public static final long TYPED_HEADERS_DATE = 1_700_000_000_000L;

    /**
     * Header values given as objects, which the runtime writes through its header delegates (a {@code Date} as an
     * HTTP-date) or {@code toString()}: an upstream {@code Cache-Status} given as a {@code Date} among them.
     */
    @GET
    @Path("typed-headers")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response typedHeaders() {
        Date date = new Date(TYPED_HEADERS_DATE);
        CacheControl control = new CacheControl();
        control.setMaxAge(5);
        control.setNoTransform(false);
        return Response.ok("typed " + call())
                .header("Cache-Status", date)
                .lastModified(date)
                .header("X-Date", date)
                .header("X-Uri", URI.create("http://example.com/caf%C3%A9?q=1"))
                .header("X-Cache-Control", control)
                .header("X-Entity-Tag", new EntityTag("v1", true))
                .header("X-Locale", Locale.CANADA_FRENCH)
                .header("X-Media-Type", new MediaType("text", "plain", "utf-8"))
                .header("X-Link", Link.fromUri("http://example.com/next").rel("next").build())
                .header("X-Number", 7)
                .build();
    }

    /** Header-driven: its lifetime is set by its message body writer ({@link WrittenLifetime.Writer}). */
    @GET
    @Path("written-lifetime/{name}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public WrittenLifetime writtenLifetime(@PathParam("name") String name) {
        return new WrittenLifetime(name, call());
    }

    /** A document past the runtimes' 8 KiB response buffers, its length declared by the method. */
    @GET
    @Path("documents/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response document(@PathParam("id") String id) {
        String text = id.repeat(20_000 / id.length());
        return Response.ok(text).header("Content-Length", text.length()).build();
    }

    /** A redirect whose {@code Location} is relative, as the method gives it: the runtime may resolve it. */
    @GET
    @Path("moved/{id}")
    @CacheResponse(ttl = 60)
    public Response moved(@PathParam("id") String id) {
        return Response.status(301).header("Location", "items/" + id).build();
    }

    /**
     * Evaluates its preconditions itself ({@code Request#evaluatePreconditions}), for the header-driven mode's
     * revalidation: max-age=60, stale-while-revalidate=30 and the ETag "v1".
     */
    @GET
    @Path("validated")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response validated(@Context Request request) {
        int call = call();
        Response.ResponseBuilder notModified = request.evaluatePreconditions(new EntityTag("v1"));
        if (notModified != null) {
            return notModified.header("Cache-Control", "max-age=60, stale-while-revalidate=30").header("X-Validated", call).build();
        }
        return Response.ok("validated " + call).tag(new EntityTag("v1")).header("Cache-Control",
                "max-age=60, stale-while-revalidate=30").build();
    }

    @GET
    @Path("language")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, varyBy = "header:Accept-Language")
    public String language(@Context HttpHeaders headers) {
        return headers.getHeaderString("Accept-Language") + " " + call();
    }

    @GET
    @Path("vary-response")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response varyResponse(@Context HttpHeaders headers) {
        return Response.ok(headers.getHeaderString("X-Flavour") + " " + call()).header("Vary", "X-Flavour").build();
    }

    /** The language {@code Request.selectVariant} picks; the runtime, not the method, sets the {@code Vary}. */
    @GET
    @Path("selected-language")
    @CacheResponse(ttl = 60)
    public Response selectedLanguage(@Context Request request) {
        Variant variant = request.selectVariant(Variant.languages(Locale.GERMAN, Locale.FRENCH).add().build());
        Locale language = variant == null ? Locale.GERMAN : variant.getLanguage();
        String greeting = Locale.FRENCH.equals(language) ? "bonjour " : "hallo ";
        return Response.ok(greeting + call(), MediaType.TEXT_PLAIN_TYPE).language(language).build();
    }

    /** As {@link #selectedLanguage}, for a method producing one type: its key holds no {@code Accept}. */
    @GET
    @Path("selected-text")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response selectedText(@Context Request request) {
        return selectedLanguage(request);
    }

    @DELETE
    @Path("vary-response")
    public Response deleteVaryResponse() {
        return Response.noContent().build();
    }

    @GET
    @Path("cookie")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response cookie() {
        return Response.ok("cookie " + call()).cookie(new NewCookie.Builder("session").value("abc").build()).build();
    }

    @GET
    @Path("private")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response privateResponse() {
        return Response.ok("private " + call()).header("Cache-Control", "private").build();
    }

    @GET
    @Path("no-store")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response noStore() {
        return Response.ok("no-store " + call()).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("server-error")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response serverError() {
        return Response.status(503).entity("unavailable " + call()).build();
    }

    @GET
    @Path("accepted")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response accepted() {
        return Response.status(202).entity("accepted " + call()).build();
    }

    /**
     * Server-sent events written as one string: no stream type the cache could recognise at start-up, only the
     * {@code text/event-stream} it answers a client asking for events with.
     */
    @GET
    @Path("event-stream")
    @Produces({MediaType.TEXT_PLAIN, MediaType.SERVER_SENT_EVENTS})
    @CacheResponse(ttl = 60)
    public String eventStream() {
        return "data: events " + call() + "\n\n";
    }

    /** An empty body: RESTEasy writes the empty {@code String} with one write of nothing. */
    @GET
    @Path("nothing")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String nothing() {
        call();
        return "";
    }

    /** A body whose first write holds no byte. */
    @GET
    @Path("written-after-nothing")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public StreamingOutput writtenAfterNothing() {
        int call = call();
        return out -> {
            out.write(new byte[0]);
            out.write(("written after nothing " + call).getBytes(StandardCharsets.UTF_8));
        };
    }

    @GET
    @Path("empty")
    @CacheResponse(ttl = 60)
    public Response empty() {
        return Response.noContent().header("X-Empty", String.valueOf(call())).build();
    }

    @GET
    @Path("prices/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String price(@PathParam("id") String id) {
        call();
        return "price " + id + " is " + Counters.prices(servletContext).getOrDefault(id, "10");
    }

    /** Sets a price: 204, or 400 for a blank one. */
    @PUT
    @Path("prices/{id}")
    public Response setPrice(@PathParam("id") String id, String price) {
        if (price.isBlank()) {
            return Response.status(400).build();
        }
        Counters.prices(servletContext).put(id, price);
        return Response.noContent().build();
    }

    /** Sets a price and sends the client to the product (303, a Location the runtime makes absolute). */
    @POST
    @Path("prices/{id}/reprice")
    public Response reprice(@PathParam("id") String id, String price) {
        Counters.prices(servletContext).put(id, price);
        return Response.seeOther(URI.create("prices/" + id)).build();
    }

    /** A token in a cookie added to the servlet response itself, outside JAX-RS: never for another visitor. */
    @GET
    @Path("outside/cookie")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String outsideCookie(@Context HttpServletResponse response) {
        String token = "t" + call();
        response.addCookie(new Cookie("csrf", token));
        return "token " + token;
    }

    /** A header set on the servlet response itself: an entry could not hold it. */
    @GET
    @Path("outside/header")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String outsideHeader(@Context HttpServletResponse response) {
        int call = call();
        response.setHeader("X-Report-Id", String.valueOf(call));
        return "report " + call;
    }

    /** A body written to the servlet response itself: JAX-RS sees a method that returned nothing. */
    @GET
    @Path("outside/written")
    @CacheResponse(ttl = 60)
    public void outsideWritten(@Context HttpServletResponse response) throws IOException {
        int call = call();
        response.setContentType("text/plain");
        response.getOutputStream().write(("written " + call).getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    /** A redirect sent through the servlet response itself. */
    @GET
    @Path("outside/redirected")
    @CacheResponse(ttl = 60)
    public void outsideRedirected(@Context HttpServletResponse response) throws IOException {
        call();
        response.sendRedirect("/elsewhere");
    }

    /**
     * Sets a price and sends the client to the product (303) with a relative Location set as text, which JAX-RS
     * resolves against the application's base URI.
     */
    @POST
    @Path("prices/{id}/relocate")
    public Response relocate(@PathParam("id") String id, String price) {
        Counters.prices(servletContext).put(id, price);
        return Response.status(303).header("Location", "prices/" + id).build();
    }

    /** A token kept in a session this response creates: never for another visitor. */
    @GET
    @Path("session/token")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String sessionToken(@Context HttpServletRequest request) {
        call();
        String token = UUID.randomUUID().toString();
        request.getSession(true).setAttribute("csrf", token);
        return token;
    }

    @GET
    @Path("session/login")
    @Produces(MediaType.TEXT_PLAIN)
    public String login(@Context HttpServletRequest request) {
        request.getSession(true).setAttribute("user", "alice");
        return "welcome";
    }

    @GET
    @Path("session/greeting")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String greeting(@Context HttpServletRequest request) {
        call();
        HttpSession session = request.getSession(false);
        Object user = session == null ? null : session.getAttribute("user");
        return "hello " + (user == null ? "stranger" : user);
    }

    /** Personalised from the requested session or the user, whoever keeps them (a filter's request wrapper). */
    @GET
    @Path("session/whoami")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String whoami(@Context HttpServletRequest request) {
        call();
        Principal user = request.getUserPrincipal();
        String session = request.getRequestedSessionId();
        return "hello " + (user != null ? user.getName() : session != null ? "session " + session : "stranger");
    }

    @GET
    @Path("large")
    @Produces("application/octet-stream")
    @CacheResponse(ttl = 60)
    public byte[] large() {
        call();
        return new byte[4096];
    }

    @GET
    @Path("catalog")
    @Produces(MediaType.APPLICATION_JSON)
    @CacheResponse(ttl = 60)
    public String catalog() {
        return Catalog.json(call());
    }

    /** Encoded by the application itself, as an encoder of its own or an origin behind a proxy would. */
    @GET
    @Path("catalog-encoded")
    @Produces(MediaType.APPLICATION_JSON)
    @CacheResponse(ttl = 60)
    public Response catalogEncoded() {
        return Response.ok(Catalog.gzipped(Catalog.json(call()))).header("Content-Encoding", "gzip").build();
    }

    @GET
    @Path("gated")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String gated() throws InterruptedException {
        int call = call();
        if (!Counters.gate(servletContext).await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the second request never entered the runtime");
        }
        return "gated " + call;
    }

    /** Evicts one item's entry through the invalidator the runtime injects. */
    @POST
    @Path("items/{id}/evict")
    @Produces(MediaType.TEXT_PLAIN)
    public String evict(@PathParam("id") String id, @Context UriInfo uriInfo) {
        return "removed " + invalidator.evictRequest(URI.create(uriInfo.getBaseUri().getRawPath() + "items/" + id));
    }

    /** Tags its response through the tag header the contract configures, which the client must never see. */
    @GET
    @Path("tagged/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response tagged(@PathParam("id") String id) {
        return Response.ok("tagged " + id + " " + call()).header("X-Item-Tags", "item:" + id + " items").build();
    }

    /** Waits for the method at most a second while a stale entry may answer instead. */
    @GET
    @Path("slow/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, staleIfError = 600, staleIfErrorDeadline = 1)
    public String slow(@PathParam("id") String id) {
        return StaleBehaviour.of(servletContext).call(id, call());
    }

    @GET
    @Path("stale/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, staleWhileRevalidate = 30, staleIfError = 600)
    public Response stale(@PathParam("id") String id) {
        StaleBehaviour behaviour = StaleBehaviour.of(servletContext);
        String body = behaviour.call(id, call());
        return behaviour.mode == StaleBehaviour.Mode.ANSWER_503 ? Response.status(503).entity("backend down").build()
                : Response.ok(body).build();
    }
}
