package dev.responsecache.proxy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The origin behind the proxy in tests: a real Jetty whose answers depend on the path, which counts the requests it
 * gets and records the conditional headers they carry. Its {@code Date} is the test's clock, so ages are exact.
 */
final class Origin extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Clock clock;
    private final transient Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final transient List<String> seen = new CopyOnWriteArrayList<>();
    /** While closed, a conditional request for {@code /swr} waits here: a revalidation still under way. */
    private final transient AtomicReference<CountDownLatch> revalidationGate = new AtomicReference<>();
    /** Counted down as a held revalidation reaches the origin. */
    private final transient AtomicReference<CountDownLatch> revalidationArrived = new AtomicReference<>();
    private transient Server server;
    /**
     * The version {@code /dated} and its siblings serve; its versions share one {@code Last-Modified}, each with its
     * own tag. {@code /dated} evaluates {@code If-Modified-Since} alone (a new version would be answered 304 with its
     * own tag, as a change within the same second is); {@code /dated-any-tag} and {@code /dated-strict} (which says
     * {@code must-revalidate}) answer 304 to any {@code If-None-Match}, with the current tag.
     */
    volatile int datedVersion = 1;
    /** When set, {@code /flaky} answers 502 with a body, as an origin whose own backend is down. */
    volatile boolean failing;

    Origin(Clock clock) {
        this.clock = clock;
    }

    Origin start() throws Exception {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(this), "/*");
        server.setHandler(context);
        server.start();
        return this;
    }

    String url() {
        return "http://localhost:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** How many requests of {@code method} for {@code path} reached the origin. */
    int count(String method, String path) {
        AtomicInteger count = counts.get(method + " " + path);
        return count == null ? 0 : count.get();
    }

    /**
     * Holds every conditional request for {@code /swr} (and {@code /swr-long}, whose window is 600 s) until {@code gate} is counted down; the latch returned is
     * counted down when the first of them has arrived.
     */
    CountDownLatch holdRevalidations(CountDownLatch gate) {
        CountDownLatch arrived = new CountDownLatch(1);
        revalidationArrived.set(arrived);
        revalidationGate.set(gate);
        return arrived;
    }

    /** "METHOD path If-None-Match If-Modified-Since" of every request, in order. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        int n = counts.computeIfAbsent(request.getMethod() + " " + path, k -> new AtomicInteger()).incrementAndGet();
        seen.add(request.getMethod() + " " + path + " " + request.getHeader("If-None-Match") + " "
                + request.getHeader("If-Modified-Since"));
        response.setHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC)));
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            if (path.equals("/orders")) {
                // A new resource named by an absolute URL built from the request, as most frameworks build it: the
                // authority is the one this origin was asked under.
                response.setStatus(HttpServletResponse.SC_CREATED);
                response.setHeader("Location", request.getScheme() + "://" + request.getServerName() + ":"
                        + request.getServerPort() + "/orders/7");
            }
            send(response, "changed " + n);
            return;
        }
        switch (path) {
            case "/fresh" -> {
                response.setHeader("Cache-Control", "max-age=60");
                send(response, "fresh " + n);
            }
            case "/etag" -> {
                response.setHeader("Cache-Control", "max-age=60");
                response.setHeader("ETag", "\"v1\"");
                String ifMatch = request.getHeader("If-Match");
                if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.contains("\"v1\"")) {
                    response.setStatus(HttpServletResponse.SC_PRECONDITION_FAILED);
                    return;
                }
                if ("\"v1\"".equals(request.getHeader("If-None-Match"))) {
                    response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                    response.setHeader("X-Validated", Integer.toString(n));
                    return;
                }
                send(response, "etag body " + n);
            }
            case "/swr", "/swr-long" -> {
                response.setHeader("Cache-Control", path.equals("/swr") ? "max-age=60, stale-while-revalidate=30"
                        : "max-age=60, stale-while-revalidate=600");
                response.setHeader("ETag", "\"v1\"");
                if ("\"v1\"".equals(request.getHeader("If-None-Match"))) {
                    CountDownLatch arrived = revalidationArrived.get();
                    if (arrived != null) {
                        arrived.countDown();
                    }
                    await(revalidationGate.get());
                    response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                    response.setHeader("X-Validated", Integer.toString(n));
                    return;
                }
                send(response, "swr body " + n);
            }
            case "/swr-plain" -> {
                response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
                send(response, "swr plain " + n);
            }
            case "/dated", "/dated-any-tag", "/dated-strict" -> {
                String lastModified = "Thu, 01 Jan 2026 00:00:00 GMT";
                response.setHeader("Cache-Control", path.endsWith("strict") ? "max-age=60, must-revalidate"
                        : "max-age=60");
                response.setHeader("ETag", "\"v" + datedVersion + "\"");
                response.setHeader("Last-Modified", lastModified);
                if (path.equals("/dated") ? lastModified.equals(request.getHeader("If-Modified-Since"))
                        : request.getHeader("If-None-Match") != null) {
                    response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                    return;
                }
                send(response, "dated " + datedVersion);
            }
            case "/swr-strict" -> {
                response.setHeader("Cache-Control", "s-maxage=60, stale-while-revalidate=30");
                send(response, "swr strict " + n);
            }
            case "/vary" -> {
                response.setHeader("Cache-Control", "max-age=60");
                response.setHeader("Vary", "Accept-Language");
                send(response, "lang " + request.getHeader("Accept-Language") + " " + n);
            }
            case "/vary-star" -> {
                response.setHeader("Cache-Control", "max-age=60");
                response.setHeader("Vary", "*");
                send(response, "star " + n);
            }
            case "/no-store" -> {
                response.setHeader("Cache-Control", "no-store, max-age=60");
                send(response, "no-store " + n);
            }
            case "/private" -> {
                response.setHeader("Cache-Control", "private, max-age=60");
                send(response, "private " + n);
            }
            case "/flaky" -> {
                if (failing) {
                    response.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
                    send(response, "origin down " + n);
                    return;
                }
                response.setHeader("Cache-Control", "max-age=60, stale-if-error=600");
                send(response, "flaky " + n);
            }
            case "/aged-304" -> {
                // A cache upstream of this one answers its revalidations: its 304 says how long it kept them.
                response.setHeader("Cache-Control", "max-age=60");
                response.setHeader("ETag", "\"a1\"");
                if ("\"a1\"".equals(request.getHeader("If-None-Match"))) {
                    response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                    response.setHeader("Age", "50");
                    return;
                }
                send(response, "aged-304 " + n);
            }
            case "/upstream-cached" -> {
                // Behind an upstream cache of its own, which says what it did in both status fields.
                response.setHeader("Cache-Control", "max-age=60");
                response.setHeader("ETag", "\"u1\"");
                if ("\"u1\"".equals(request.getHeader("If-None-Match"))) {
                    response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                    response.setHeader("Cache-Status", "UpstreamCache; hit; ttl=12");
                    response.setHeader("X-Cache", "HIT");
                    return;
                }
                response.setHeader("Cache-Status", "UpstreamCache; fwd=uri-miss; stored");
                response.addHeader("X-Cache", "MISS");
                send(response, "upstream-cached " + n);
            }
            case "/verbatim" -> {
                // Fields whose values have spaces around parameters, quoted strings, or are no list at all.
                response.setHeader("Cache-Control", "max-age=60");
                response.setHeader("Cache-Status", "UpstreamCache; fwd=uri-miss; stored, Edge; hit; ttl=5");
                response.setHeader("Content-Disposition", "attachment; filename=\"annual report, 2025.pdf\"");
                response.setHeader("Link", "</style.css>; rel=\"preload\"; as=style");
                response.setHeader("Report-To", "{\"group\":\"csp\",\"max_age\":60}");
                response.setHeader("X-After-Report-To", "kept");
                send(response, "verbatim " + n);
            }
            case "/no-lifetime" -> send(response, "no-lifetime " + n);
            case "/aged-out" -> {
                response.setHeader("Cache-Control", "max-age=10");
                response.setHeader("Age", "20");
                send(response, "aged-out " + n);
            }
            case "/aged" -> {
                response.setHeader("Cache-Control", "max-age=60");
                response.setHeader("Age", "50");
                send(response, "aged " + n);
            }
            default -> {
                response.setHeader("Cache-Control", "max-age=60");
                send(response, path + " " + n);
            }
        }
    }

    private static void await(CountDownLatch gate) throws IOException {
        if (gate == null) {
            return;
        }
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IOException("the test never released the revalidation");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void send(HttpServletResponse response, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    void stop() throws Exception {
        server.stop();
    }
}
