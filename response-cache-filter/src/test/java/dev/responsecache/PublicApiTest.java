package dev.responsecache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import dev.responsecache.annotation.CacheResponse;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * Pins the public types of the library, so that a type becomes public only as a conscious change of these lists. What
 * a user or a store author touches is API: public, in a package the modules export. Implementation classes are
 * package-private. The library's own types are public only because another package of the library, or a runtime or
 * {@code ServiceLoader} that instantiates them reflectively, must reach them: they are not for applications, and
 * all but three of them sit in packages the module does not export.
 */
class PublicApiTest {

    /** The packages the modules export: the API. */
    private static final Set<String> API_PACKAGES = Set.of("dev.responsecache.annotation", "dev.responsecache",
            "dev.responsecache.jaxrs", "dev.responsecache.servlet", "dev.responsecache.spi");

    private static final List<String> API_TYPES = List.of(
            // what users write (the jaxrs-annotations module)
            "dev.responsecache.annotation.CacheResponse",
            "dev.responsecache.annotation.InvalidatesCache",
            // configuration keys, start-up error, the eviction API
            "dev.responsecache.ResponseCacheConfigException",
            "dev.responsecache.ResponseCacheInvalidationException",
            "dev.responsecache.ResponseCacheInvalidator",
            "dev.responsecache.ResponseCacheProperties",
            // what an application registers or names in web.xml
            "dev.responsecache.jaxrs.ResponseCacheFeature",
            "dev.responsecache.servlet.ResponseCacheFilter",
            "dev.responsecache.servlet.ResponseCacheHealthServlet",
            "dev.responsecache.servlet.ResponseCachePurgeServlet",
            // instantiated by the container (web.xml names the listener)
            "dev.responsecache.servlet.ResponseCacheInitializer",
            "dev.responsecache.servlet.ResponseCacheListener",
            // the store SPI and the value types a store author needs
            "dev.responsecache.spi.CacheEntry",
            "dev.responsecache.spi.CacheEntry$VaryValue",
            "dev.responsecache.spi.EntryCodec",
            "dev.responsecache.spi.EvictionFeed",
            "dev.responsecache.spi.FaultLog",
            "dev.responsecache.spi.Header",
            "dev.responsecache.spi.KeyLeases",
            "dev.responsecache.spi.KeyLeases$Contender",
            "dev.responsecache.spi.PropertyValues",
            "dev.responsecache.spi.ResponseStore",
            "dev.responsecache.spi.ResponseStoreProvider",
            "dev.responsecache.spi.StaleWindows",
            "dev.responsecache.spi.StoreContext",
            "dev.responsecache.spi.StoreStatus",
            "dev.responsecache.spi.StoreUnavailableException",
            "dev.responsecache.spi.Ticker",
            "dev.responsecache.spi.TierSize",
            "dev.responsecache.spi.UnreadableEntryException",
            "dev.responsecache.spi.VariantKeys");

    /** Public for the library itself; not API, whatever package they are in. */
    private static final List<String> LIBRARY_TYPES = List.of(
            // instantiated by ServiceLoader, found by the name in responsecache.store / by responsecache.meter-registry
            "dev.responsecache.ehcache.EhcacheStoreProvider",
            "dev.responsecache.redis.RedisStoreProvider",
            "dev.responsecache.micrometer.MicrometerEventsProvider",
            // in exported packages, though: registered by class, so that Jersey and RESTEasy construct and inject them
            // (RESTEasy needs public)
            "dev.responsecache.jaxrs.ApplicationPipeline",
            "dev.responsecache.jaxrs.ServletSessionProbe",
            "dev.responsecache.jaxrs.RuntimeServletProbe",
            "dev.responsecache.jaxrs.ServletResponseProbe",
            // the servlet context as the core sees it, shared by both adapters
            "dev.responsecache.servlet.ServletScope",
            // the engine, driven by the adapters in their own packages (and by the Micrometer binding)
            "dev.responsecache.core.ApplicationScope",
            "dev.responsecache.core.CacheEvents",
            "dev.responsecache.core.CacheEvents$StoreOperation",
            "dev.responsecache.core.CacheEventsProvider",
            "dev.responsecache.core.CacheHealth",
            "dev.responsecache.core.CachePolicy",
            "dev.responsecache.core.CacheRequest",
            "dev.responsecache.core.CacheSettings",
            "dev.responsecache.core.CapturingOutputStream",
            "dev.responsecache.core.EarlyRoutes",
            "dev.responsecache.core.EarlyRoutes$HandedRequest",
            "dev.responsecache.core.EarlyRoutes$Route",
            "dev.responsecache.core.ErrorFallback",
            "dev.responsecache.core.ErrorFallback$Guard",
            "dev.responsecache.core.HttpDates",
            "dev.responsecache.core.Invalidations",
            "dev.responsecache.core.Lookup",
            "dev.responsecache.core.Lookup$Outcome",
            "dev.responsecache.core.NegotiationDialect",
            "dev.responsecache.core.PathPattern",
            "dev.responsecache.core.PurgeAccess",
            "dev.responsecache.core.PurgeAccess$Reply",
            "dev.responsecache.core.RangeAnswer",
            "dev.responsecache.core.RefreshHandOff",
            "dev.responsecache.core.ResponseCache",
            "dev.responsecache.core.RuntimeWrittenHit",
            "dev.responsecache.core.SelectionVary",
            "dev.responsecache.core.SharedCache",
            "dev.responsecache.core.SharedCache$Membership",
            "dev.responsecache.core.StaleSeconds",
            "dev.responsecache.core.TagTemplate",
            "dev.responsecache.core.UnknownProperties",
            "dev.responsecache.core.VaryToken",
            "dev.responsecache.core.VaryToken$Cookie",
            "dev.responsecache.core.VaryToken$Header",
            "dev.responsecache.core.VaryToken$Principal");

    @Test
    void publicTypesAreExactlyTheListedOnes() {
        TreeSet<String> found = new TreeSet<>();
        for (JavaClass type : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.responsecache")) {
            if (reachableFromOutside(type)) {
                found.add(type.getName());
            }
        }
        TreeSet<String> listed = new TreeSet<>(API_TYPES);
        listed.addAll(LIBRARY_TYPES);
        TreeSet<String> added = new TreeSet<>(found);
        added.removeAll(listed);
        TreeSet<String> gone = new TreeSet<>(listed);
        gone.removeAll(found);
        assertEquals("added [] gone []", "added " + added + " gone " + gone,
                "the public types changed: make a new one package-private, or change this list on purpose");
    }

    @Test
    void theModulesExportExactlyTheApiPackages() throws URISyntaxException {
        TreeSet<String> exported = new TreeSet<>();
        for (ModuleReference module : ModuleFinder.of(location(ResponseCacheProperties.class),
                location(CacheResponse.class)).findAll()) {
            for (ModuleDescriptor.Exports export : module.descriptor().exports()) {
                assertFalse(export.isQualified(), export.toString());
                exported.add(export.source());
            }
        }
        assertEquals(new TreeSet<>(API_PACKAGES), exported);
    }

    @Test
    void everyApiTypeIsInAnExportedPackageAndNoLibraryTypeIsInAnExportedPackageByAccident() {
        for (String type : API_TYPES) {
            assertTrue(API_PACKAGES.contains(packageOf(type)), type + " is listed as API, its package is not exported");
        }
        TreeSet<String> libraryTypesInApiPackages = new TreeSet<>();
        for (String type : LIBRARY_TYPES) {
            if (API_PACKAGES.contains(packageOf(type))) {
                libraryTypesInApiPackages.add(type);
            }
        }
        assertEquals(new TreeSet<>(Set.of("dev.responsecache.jaxrs.ApplicationPipeline",
                "dev.responsecache.jaxrs.ServletSessionProbe", "dev.responsecache.jaxrs.RuntimeServletProbe",
                "dev.responsecache.jaxrs.ServletResponseProbe", "dev.responsecache.servlet.ServletScope")),
                libraryTypesInApiPackages, "a type for the library itself belongs in an unexported package");
    }

    private static String packageOf(String type) {
        return type.substring(0, type.lastIndexOf('.'));
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Public, and so is every class it is nested in. */
    private static boolean reachableFromOutside(JavaClass type) {
        for (Optional<JavaClass> current = Optional.of(type); current.isPresent();
                current = current.get().getEnclosingClass()) {
            if (!current.get().getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }
}
