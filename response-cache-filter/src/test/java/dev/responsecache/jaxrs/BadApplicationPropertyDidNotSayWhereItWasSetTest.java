package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** A Jersey application's own bad property was refused without saying it was the application's property. */
class BadApplicationPropertyDidNotSayWhereItWasSetTest {

    @Test
    void badApplicationPropertyIsNamedAsTheApplicationProperty() {
        ResourceConfig app = new ResourceConfig().register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.MAX_BODY_SIZE, "12XB");
        assertEquals("Invalid value for responsecache.max-body-size: '12XB' (expected a size such as 1048576, 512KB,"
                + " 64MB or 1GB); set by the application property responsecache.max-body-size",
                JerseyStartup.error(app).getMessage());
    }
}
