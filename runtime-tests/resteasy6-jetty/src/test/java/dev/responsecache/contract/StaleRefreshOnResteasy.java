package dev.responsecache.contract;

import dev.responsecache.ResponseCacheProperties;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.ws.rs.core.Application;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The deployment the RESTEasy tests of a failed refresh share: the application on real Jetty with the clock injected,
 * a meter registry, {@code max-body-size} 16KB and the test's page state as a context attribute; the library's runner
 * runs refreshes after the stale answer only when {@code runner} (it needs the initializers scanned). It requests
 * {@code /api/page} and reads how many refreshes were counted as failed.
 */
final class StaleRefreshOnResteasy implements AutoCloseable {

    /** The servlet context attribute holding the test's page state. */
    static final String STATE = "test.page-state";

    private final MovableClock clock = new MovableClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient client = HttpClient.newHttpClient();
    private final Container.Deployed app;
    private final HttpRequest page;

    StaleRefreshOnResteasy(Class<? extends Application> application, Object state, boolean runner) throws Exception {
        app = new JettyEe10().deploy(new WebApp().jaxrs(application)
                .scansInitializers(runner)
                .attribute(STATE, state)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "16KB"), JaxrsRuntime.resteasy());
        page = HttpRequest.newBuilder(app.base().resolve("/api/page")).timeout(Duration.ofSeconds(30)).build();
    }

    HttpResponse<String> get() throws IOException, InterruptedException {
        return client.send(page, HttpResponse.BodyHandlers.ofString());
    }

    /** {@link #get()} for a condition awaited on. */
    HttpResponse<String> getUnchecked() {
        try {
            return get();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Requests the page while its refresh fails. */
    void getWhileTheRefreshFails() throws InterruptedException {
        try {
            get();
        } catch (IOException cutShort) {
            // The runtime may end a committed response short: the client's request failed, as uncached.
        }
    }

    /** Moves the clock past the page's 60 s lifetime, into its 30 s of stale-while-revalidate. */
    void pageGoesStale() {
        clock.advance(Duration.ofSeconds(70));
    }

    /** The refreshes counted in {@code responsecache.refresh.failures} with {@code exception} as their tag. */
    double failures(String exception) {
        return registry.find("responsecache.refresh.failures").tags("exception", exception).counters()
                .stream().mapToDouble(counter -> counter.count()).sum();
    }

    /** The requests counted in {@code responsecache.requests} with this outcome and reason. */
    double requests(String outcome, String reason) {
        return registry.find("responsecache.requests").tags("outcome", outcome, "reason", reason).counters()
                .stream().mapToDouble(counter -> counter.count()).sum();
    }

    /** Every count of {@code responsecache.requests}, whatever its outcome and reason. */
    double requests() {
        return registry.find("responsecache.requests").counters().stream().mapToDouble(counter -> counter.count())
                .sum();
    }

    static void awaitUntil(BooleanSupplier condition, String failure) {
        ContractSuite.awaitUntil(condition, Duration.ofSeconds(30), () -> failure);
    }

    @Override
    public void close() {
        app.close();
    }
}
