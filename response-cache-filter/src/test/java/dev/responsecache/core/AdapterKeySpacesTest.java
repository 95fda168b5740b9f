package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The servlet filter stores a response as the client got it (after the runtime's encoders), the JAX-RS adapter the
 * method's response, which it encodes again on every replay: one request never keys both alike.
 */
class AdapterKeySpacesTest {

    private static final CachePolicy JAXRS = new CachePolicy(Duration.ofSeconds(60), List.of(), Set.of(200), false);

    @Test
    void servletFilterEntryIsNeverTheJaxrsEntryOfTheSameRequest() {
        FakeRequest request = FakeRequest.get("/api/text", "a=1").withRepresentation("text/plain");
        assertNotEquals(CacheKeys.of(request, JAXRS), CacheKeys.of(request, JAXRS.asSent()));
        assertNotEquals(CacheKeys.of(request, JAXRS.fromHeaders()), CacheKeys.of(request, JAXRS.fromHeaders().asSent()));
    }

    @Test
    void asSentSurvivesTheOtherCopies() {
        CachePolicy filter = JAXRS.asSent();
        assertEquals(true, filter.withRoute("cache").storesAsSent());
        assertEquals(true, filter.fromHeaders().storesAsSent());
        assertEquals(false, JAXRS.withRoute("Resource#method").fromHeaders().storesAsSent());
    }
}
