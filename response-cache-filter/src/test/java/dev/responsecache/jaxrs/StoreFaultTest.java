package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.FaultyStoreProvider;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** A store that fails on every call never turns into an error for the client: requests are served uncached. */
class StoreFaultTest {

    @Test
    void failingStoreServesEveryRequestUncachedWith200() {
        CountingResource resource = new CountingResource();
        ResourceConfig app = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "faulty");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.responsecache");
        logger.addHandler(handler);
        try (TestServer server = TestServer.jersey(app).start()) {
            for (int i = 1; i <= 5; i++) {
                HttpResponse<String> response = server.getText("/api/items/1");
                assertEquals(200, response.statusCode());
                assertEquals("MISS", response.headers().firstValue("X-Cache").orElseThrow());
                assertTrue(response.body().contains("\"call\":" + i), response.body());
            }
            HttpResponse<String> empty = server.getText("/api/empty");
            assertEquals(204, empty.statusCode());
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, warnings.size(), "one log line for the outage, not one per request: " + warnings);
        assertTrue(warnings.get(0).getMessage().contains(FaultyStoreProvider.class.getName()));
    }
}
