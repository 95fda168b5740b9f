package dev.responsecache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The library as a named module, on a module path of its own: the tests otherwise run on the class path, where the
 * module descriptor means nothing. The layer holds the library, the annotations, SLF4J, the servlet API and Ehcache
 * (an automatic module named after its file), and no JAX-RS, Jedis or Micrometer (optional), under the platform class
 * loader, so nothing of the tests' class path can stand in for a missing {@code requires}: the embedded store really
 * starts, stores and answers from inside the module.
 */
class ModulePathTest {

    private static final String MODULE = "dev.responsecache";

    @Test
    void onlyTheApiPackagesAreExportedAndTheEngineIsNot() throws Exception {
        Module library = layer().findModule(MODULE).orElseThrow();

        TreeSet<String> exported = library.getDescriptor().exports().stream()
                .filter(export -> !export.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("dev.responsecache", "dev.responsecache.jaxrs", "dev.responsecache.servlet",
                "dev.responsecache.spi")), exported);
        assertFalse(library.isExported("dev.responsecache.core"));
        assertFalse(library.isExported("dev.responsecache.ehcache"));
        assertTrue(library.isOpen("dev.responsecache.jaxrs"), "Jersey, HK2 and RESTEasy inject the JAX-RS providers");
    }

    @Test
    void serviceLoaderFindsTheBundledStoresAndTheEmbeddedOneStoresAndAnswersInsideTheModule() throws Exception {
        ModuleLayer layer = layer();
        ClassLoader loader = layer.findLoader(MODULE);
        Class<?> providerType = Class.forName("dev.responsecache.spi.ResponseStoreProvider", false, loader);

        TreeSet<String> providers = ServiceLoader.load(layer, providerType).stream()
                .map(provider -> provider.type().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("dev.responsecache.ehcache.EhcacheStoreProvider",
                "dev.responsecache.redis.RedisStoreProvider")), providers);

        Object ehcache = ServiceLoader.load(layer, providerType).stream()
                .filter(provider -> provider.type().getSimpleName().equals("EhcacheStoreProvider"))
                .findFirst().orElseThrow().get();
        assertEquals("ehcache", providerType.getMethod("name").invoke(ehcache));

        Class<?> propertiesType = Class.forName("dev.responsecache.spi.PropertyValues", false, loader);
        Class<?> contextType = Class.forName("dev.responsecache.spi.StoreContext", false, loader);
        Class<?> storeType = Class.forName("dev.responsecache.spi.ResponseStore", false, loader);
        Class<?> entryType = Class.forName("dev.responsecache.spi.CacheEntry", false, loader);
        Function<String, Object> unset = name -> null;
        Object properties = propertiesType.getConstructor(Function.class).newInstance(unset);
        Clock clock = Clock.systemUTC();
        Object context = contextType.getConstructor(propertiesType, Clock.class).newInstance(properties, clock);
        // Ehcache resolves optional services through the context class loader, which here would find its second
        // copy on the tests' class path; in an application on the module path it is the loader of the modules.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try (AutoCloseable store = (AutoCloseable) providerType.getMethod("create", contextType)
                .invoke(ehcache, context)) {
            long now = clock.millis();
            Object entry = entryType.getConstructor(String.class, int.class, List.class, byte[].class, long.class,
                    long.class, List.class).newInstance("GET /module", 200, List.of(), new byte[] {'o', 'k'}, now,
                    now + 60_000, List.of());
            storeType.getMethod("put", entryType).invoke(store, entry);

            Object found = storeType.getMethod("get", String.class).invoke(store, "GET /module");

            assertEquals(2, entryType.getMethod("bodyLength").invoke(found));
            assertEquals(MODULE, found.getClass().getModule().getName());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** A layer of its own, resolved from the jars and class directories the tests' class path holds. */
    private static ModuleLayer layer() throws URISyntaxException {
        ModuleFinder finder = ModuleFinder.of(location(ResponseCacheProperties.class),
                location(dev.responsecache.annotation.CacheResponse.class), location(org.slf4j.Logger.class),
                location(org.ehcache.CacheManager.class), location(jakarta.servlet.ServletContainerInitializer.class));
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of(MODULE));
        return ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
