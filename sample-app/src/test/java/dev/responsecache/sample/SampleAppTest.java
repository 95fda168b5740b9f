package dev.responsecache.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.servlet.ServletScope;

import jakarta.servlet.ServletContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sample as a newcomer runs it: the jar's launcher, the real web.xml, real HTTP. */
class SampleAppTest {

    private static SampleServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new SampleServer(0).start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void productIsAMissThenAHitThatSkipsTheSlowBackend() throws Exception {
        HttpResponse<String> first = get("/api/products/7");
        long lookupsBefore = Catalogue.INSTANCE.lookups();
        HttpResponse<String> second = get("/api/products/7");
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(first.body(), second.body());
        assertTrue(second.body().contains("\"id\":7"), second.body());
        assertEquals(lookupsBefore, Catalogue.INSTANCE.lookups(), "a hit does not call the slow backend");
    }

    @Test
    void unknownProductsNotFoundIsStoredSoARepeatSkipsTheSlowBackend() throws Exception {
        HttpResponse<String> first = get("/api/products/5000");
        long lookupsBefore = Catalogue.INSTANCE.lookups();
        HttpResponse<String> second = get("/api/products/5000");
        assertEquals(404, first.statusCode());
        assertEquals(404, second.statusCode());
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow(), second.headers().toString());
        assertEquals(first.body(), second.body());
        assertTrue(second.body().contains("no product 5000"), second.body());
        assertEquals(lookupsBefore, Catalogue.INSTANCE.lookups(), "a hit does not call the slow backend");
    }

    @Test
    void priceChangeEvictsTheProductItsSearchesAndTheReports() throws Exception {
        get("/api/products/9");
        get("/api/products?category=tools&limit=4");
        get("/reports/tools");
        HttpResponse<String> update = send(HttpRequest.newBuilder(uri("/api/products/9"))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("7.77")));
        assertEquals(204, update.statusCode(), update.body());
        HttpResponse<String> product = get("/api/products/9");
        HttpResponse<String> search = get("/api/products?category=tools&limit=4");
        HttpResponse<String> report = get("/reports/tools");
        assertEquals("MISS", product.headers().firstValue("X-Cache").orElseThrow(), "the PUT's own path");
        assertTrue(product.body().contains("\"price\":7.77"), product.body());
        assertEquals("MISS", search.headers().firstValue("X-Cache").orElseThrow(), "tag products");
        assertTrue(search.body().contains("7.77"), search.body());
        assertEquals("MISS", report.headers().firstValue("X-Cache").orElseThrow(), "the filter's tag products");
        assertTrue(report.body().contains("7.77"), report.body());
    }

    @Test
    void purgeWithTheConfiguredTokenEvictsTheUrlAndWithoutItIsRefused() throws Exception {
        get("/api/products/11");
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/api/products/11"))
                .method("PURGE", HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> purged = send(HttpRequest.newBuilder(uri("/api/products/11"))
                .header("Authorization", "Bearer sample-purge-token-change-me")
                .method("PURGE", HttpRequest.BodyPublishers.noBody()));
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals(200, purged.statusCode(), purged.body());
        assertEquals("removed=1", purged.body().strip());
        assertEquals("MISS", get("/api/products/11").headers().firstValue("X-Cache").orElseThrow());
    }

    /**
     * The launcher ran without the library's {@code ServletContainerInitializer} (Jetty finds initializers only with
     * annotation scanning), so the jar, unlike the WAR, refreshed stale-while-revalidate entries inline and had no
     * {@code staleIfErrorDeadline}. It runs it now, as a container deploying the WAR does.
     */
    @Test
    void launcherRunsTheLibrarysInitializerAsAContainerDeployingTheWarDoes() {
        ServletContext context = server.servletContext();
        assertTrue(new ServletScope(context).closedOnStop(), "ResponseCacheListener installed");
        assertTrue(context.getFilterRegistrations().values().stream()
                        .anyMatch(filter -> filter.getClassName().equals("dev.responsecache.servlet.RefreshRunner")),
                "the library's refresh filter mapped: " + context.getFilterRegistrations().keySet());
    }

    @Test
    void rootPageListsTheEndpointsInsteadOfADirectoryListing() throws Exception {
        HttpResponse<String> root = get("/");
        assertEquals(200, root.statusCode());
        assertTrue(root.body().contains("<h1>Response cache sample</h1>"), root.body());
        assertTrue(!root.body().contains("WEB-INF"), root.body());
    }

    @Test
    void greetingKeepsOneEntryPerLanguage() throws Exception {
        HttpResponse<String> french = get("/api/greeting", "Accept-Language", "fr");
        HttpResponse<String> german = get("/api/greeting", "Accept-Language", "de");
        HttpResponse<String> frenchAgain = get("/api/greeting", "Accept-Language", "fr");
        assertTrue(french.body().startsWith("Bonjour"));
        assertTrue(german.body().startsWith("Hallo"));
        assertEquals("HIT", frenchAgain.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(french.body(), frenchAgain.body());
    }

    @Test
    void personalisedProfileIsNeverShared() throws Exception {
        HttpResponse<String> alice = get("/api/me/profile", "Authorization", "Bearer alice");
        HttpResponse<String> bob = get("/api/me/profile", "Authorization", "Bearer bob");
        assertTrue(alice.body().contains("alice"));
        assertTrue(bob.body().contains("bob"), bob.body());
        assertEquals("MISS", bob.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(401, get("/api/me/profile").statusCode());
    }

    @Test
    void recommendationsAreCachedPerUser() throws Exception {
        get("/api/me/recommendations", "Authorization", "Bearer carol");
        HttpResponse<String> carolAgain = get("/api/me/recommendations", "Authorization", "Bearer carol");
        HttpResponse<String> dave = get("/api/me/recommendations", "Authorization", "Bearer dave");
        assertEquals("HIT", carolAgain.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(carolAgain.body().contains("carol"));
        assertEquals("MISS", dave.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(dave.body().contains("dave"));
    }

    @Test
    void reportPageOfThePlainServletIsCachedByTheFilter() throws Exception {
        HttpResponse<String> first = get("/reports/garden");
        long lookupsBefore = Catalogue.INSTANCE.lookups();
        HttpResponse<String> second = get("/reports/garden");
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(first.body(), second.body());
        assertTrue(second.body().contains("<h1>Products in garden</h1>"), second.body());
        assertTrue(second.body().contains("Price (€)"), "UTF-8 body replayed intact: " + second.body());
        assertEquals("text/html;charset=utf-8",
                second.headers().firstValue("Content-Type").orElseThrow().toLowerCase().replace(" ", ""));
        assertEquals(lookupsBefore, Catalogue.INSTANCE.lookups(), "a hit does not call the slow backend");
    }

    /** Any name answered, and stored, an empty 200 table: a made-up report name filled the cache. */
    @Test
    void reportOfANameThatIsNoCategoryIsAnUncachedNotFoundNotAnEmptyTable() throws Exception {
        long lookupsBefore = Catalogue.INSTANCE.lookups();
        HttpResponse<String> first = get("/reports/no-such-category");
        HttpResponse<String> second = get("/reports/no-such-category");
        assertEquals(404, first.statusCode());
        assertEquals(404, second.statusCode(), second.headers().toString());
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElseThrow(), "a 404 from sendError is not stored");
        assertEquals("ResponseCache; fwd=uri-miss; detail=error-page",
                second.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals(lookupsBefore, Catalogue.INSTANCE.lookups(), "an unknown report does not call the slow backend");
    }

    @Test
    void metricsEndpointShowsTheCachesCountersPerRouteInPrometheusFormat() throws Exception {
        get("/api/products/8");
        get("/api/products/8");
        get("/reports/kitchen");
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        String body = metrics.body();
        assertTrue(body.contains("responsecache_requests_total{outcome=\"hit\",reason=\"fresh\","
                + "route=\"ProductResource#product\"}"), body);
        assertTrue(body.contains("route=\"report-cache\""), body);
        assertTrue(body.contains("responsecache_store_operations_seconds_count{operation=\"get\",result=\"success\"}"),
                body);
        assertTrue(body.contains("responsecache_entries{tier=\"heap\"}"), body);
    }

    private static HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
