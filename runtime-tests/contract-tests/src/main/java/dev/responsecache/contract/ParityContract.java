package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What both adapters do alike about the headers a response is selected by and the host it was built for, run on
 * every runtime and container as {@link ContractSuite} is: one web application holds {@link ParityResource} under
 * {@code /api/parity} and {@link ParityServlet} behind cache filters under {@code /parity}, with the same endpoints.
 */
public abstract class ParityContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The same endpoint, cached by the JAX-RS feature or by the servlet filter. */
    public enum Side {
        JAXRS("/api/parity"),
        SERVLET("/parity");

        private final String prefix;

        Side(String prefix) {
            this.prefix = prefix;
        }

        String path(String endpoint) {
            return prefix + endpoint;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<AutoCloseable> started = new ArrayList<>();

    protected abstract Container container();

    protected abstract JaxrsRuntime runtime();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private Container.Deployed deploy() throws Exception {
        WebApp app = new WebApp().jaxrs(ParityApplication.class)
                .servlet("parity", ParityServlet.class, "/parity/*")
                .cacheFilter("language", "/parity/vary/language", "ttl", "60", "varyBy", "header:Accept-Language")
                .cacheFilter("accept", "/parity/vary/accept", "ttl", "60")
                .cacheFilter("own", "/parity/vary/own", "ttl", "60", "varyBy", "header:Accept-Language")
                .cacheFilter("cookie", "/parity/vary/cookie", "ttl", "60", "varyBy", "cookie:lang")
                .cacheFilter("host", "/parity/host/*", "ttl", "60", "statuses", "200,308");
        Container.Deployed deployed = container().deploy(app, runtime());
        started.add(deployed);
        return deployed;
    }

    private HttpResponse<String> get(Container.Deployed app, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private static int calls(Container.Deployed app) {
        return Counters.counter(app.servletContext(), Counters.CALLS).get();
    }

    /** Vary on the miss and on the hit names exactly {@code expected}, in one field line. */
    private void assertVary(Side side, String endpoint, String expected, String... headers) throws Exception {
        Container.Deployed app = deploy();
        HttpResponse<String> miss = get(app, side.path(endpoint), headers);
        HttpResponse<String> hit = get(app, side.path(endpoint), headers);
        assertEquals("MISS", cache(miss));
        assertEquals("HIT", cache(hit));
        assertEquals(List.of(expected), miss.headers().allValues("Vary"));
        assertEquals(List.of(expected), hit.headers().allValues("Vary"));
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void entryKeyedOnARequestHeaderIsSentWithVaryNamingItOnMissAndHit(Side side) throws Exception {
        assertVary(side, "/vary/language", "Accept, Accept-Language", "Accept-Language", "de");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void entryKeyedOnTheRepresentationOnlyIsSentWithVaryAccept(Side side) throws Exception {
        assertVary(side, "/vary/accept", "Accept", "Accept", "text/plain");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void applicationVaryIsMergedWithoutRepeatingANameItAlreadyHas(Side side) throws Exception {
        assertVary(side, "/vary/own", "accept-language, Origin, Accept", "Accept-Language", "fr");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void entryKeyedOnACookieIsSentWithVaryCookieAndStillSharedAcrossOtherCookies(Side side) throws Exception {
        Container.Deployed app = deploy();
        HttpResponse<String> miss = get(app, side.path("/vary/cookie"), "Cookie", "lang=de; tracking=1");
        HttpResponse<String> hit = get(app, side.path("/vary/cookie"), "Cookie", "lang=de; tracking=2");
        assertEquals("HIT", cache(hit));
        assertEquals(List.of("Accept, Cookie"), miss.headers().allValues("Vary"));
        assertEquals(miss.headers().allValues("Vary"), hit.headers().allValues("Vary"));
        assertEquals("MISS", cache(get(app, side.path("/vary/cookie"), "Cookie", "lang=fr")));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void absoluteLocationBuiltFromTheRequestIsNotServedToAnotherHost(Side side) throws Exception {
        Container.Deployed app = deploy();
        String target = side.path("/host/target");
        HttpResponse<String> attacker = get(app, side.path("/host/absolute"), "Host", "evil.example");
        assertEquals(308, attacker.statusCode());
        assertEquals("http://evil.example" + target, attacker.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> visitor = get(app, side.path("/host/absolute"), "Host", "good.example");
        assertEquals("MISS", cache(visitor));
        assertEquals("http://good.example" + target, visitor.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> next = get(app, side.path("/host/absolute"), "Host", "good.example");
        assertEquals("HIT", cache(next));
        assertEquals("http://good.example" + target, next.headers().firstValue("Location").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void bodyWithALinkBuiltFromTheRequestIsNotServedToAnotherHost(Side side) throws Exception {
        Container.Deployed app = deploy();
        get(app, side.path("/host/links"), "Host", "evil.example");
        HttpResponse<String> visitor = get(app, side.path("/host/links"), "Host", "good.example");
        assertEquals("MISS", cache(visitor));
        assertTrue(visitor.body().contains("http://good.example" + side.path("/host/target")), visitor.body());
        assertEquals("HIT", cache(get(app, side.path("/host/links"), "Host", "good.example")));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void originReflectedByTheApplicationIsNotServedToAnotherOrigin(Side side) throws Exception {
        Container.Deployed app = deploy();
        get(app, side.path("/host/cors"), "Origin", "https://evil.example");
        HttpResponse<String> other = get(app, side.path("/host/cors"), "Origin", "https://app.example");
        assertEquals("MISS", cache(other));
        assertEquals("https://app.example", other.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        HttpResponse<String> again = get(app, side.path("/host/cors"), "Origin", "https://app.example");
        assertEquals("HIT", cache(again));
        assertEquals("https://app.example", again.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void responseThatDoesNotNameTheHostIsSharedAcrossHosts(Side side) throws Exception {
        Container.Deployed app = deploy();
        get(app, side.path("/host/plain"), "Host", "one.example");
        assertEquals("HIT", cache(get(app, side.path("/host/plain"), "Host", "two.example")));
        assertEquals(1, calls(app));
    }
}
