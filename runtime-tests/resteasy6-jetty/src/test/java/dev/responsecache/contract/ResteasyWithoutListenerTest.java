package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.servlet.ResponseCacheListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RESTEasy has no stop callback of its own: on an embedded server that neither scans for initializers nor declares
 * the listener, nothing would close the store, and the start-up log must say so rather than stay silent.
 */
class ResteasyWithoutListenerTest {

    private final Logger logger = Logger.getLogger("dev.responsecache");
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
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

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
    }

    @Test
    void startUpWarnsThatTheStoreWillNotBeClosedWhenNothingClosesIt() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(ContractApplication.class)
                .scansInitializers(false), JaxrsRuntime.resteasy())) {
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(ResponseCacheListener.class.getName()), warnings.get(0));
            assertTrue(app.base().getPort() > 0);
        }
    }

    @Test
    void startUpIsQuietWhenTheListenerIsDeclared() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(ContractApplication.class)
                .scansInitializers(false).listener(ResponseCacheListener.class), JaxrsRuntime.resteasy())) {
            assertEquals(List.of(), warnings);
            assertTrue(app.base().getPort() > 0);
        }
    }
}
