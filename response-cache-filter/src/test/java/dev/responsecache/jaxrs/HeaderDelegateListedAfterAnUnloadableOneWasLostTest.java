package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.ws.rs.ext.RuntimeDelegate;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.spi.HeaderDelegateProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jersey skips a {@code HeaderDelegateProvider} listed in {@code META-INF/services} that it cannot load, and writes with
 * the ones listed after it. The cache stopped at the first it could not load, so a value of a type only a later
 * provider writes was read as its {@code toString()} while Jersey sent what that provider writes.
 */
class HeaderDelegateListedAfterAnUnloadableOneWasLostTest {

    /** A header value type only {@link WeightDelegate} writes. */
    public record Weight(int grams) {
    }

    public static final class WeightDelegate implements HeaderDelegateProvider<Weight> {
        @Override
        public boolean supports(Class<?> type) {
            return type == Weight.class;
        }

        @Override
        public Weight fromString(String value) {
            return new Weight(Integer.parseInt(value.replace("g", "")));
        }

        @Override
        public String toString(Weight value) {
            return value.grams() + "g";
        }
    }

    @Test
    void providerListedAfterOneThatCannotBeLoadedIsUsed(@TempDir Path services) throws Exception {
        Path listing = services.resolve("META-INF/services/" + HeaderDelegateProvider.class.getName());
        Files.createDirectories(listing.getParent());
        Files.writeString(listing, "dev.responsecache.jaxrs.NoSuchHeaderDelegate\n" + WeightDelegate.class.getName()
                + "\n", StandardCharsets.UTF_8);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader withListing = new URLClassLoader(new URL[] {services.toUri().toURL()},
                getClass().getClassLoader())) {
            thread.setContextClassLoader(withListing);
            Function<Class<?>, RuntimeDelegate.HeaderDelegate<?>> delegates =
                    JerseyHeaderDelegates.of(new ResourceConfig());
            assertNotNull(delegates, "no delegates found");
            assertNotNull(delegates.apply(Weight.class), "the provider listed after the unloadable one was lost");
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
