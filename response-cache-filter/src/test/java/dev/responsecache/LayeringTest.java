package dev.responsecache;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package layering, stated as tests rather than left to a README. */
@AnalyzeClasses(packages = "dev.responsecache", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    /** The rules and the engine see no framework, no store and no adapter: both adapters and every store share them. */
    @ArchTest
    static final ArchRule coreImportsNoFrameworkStoreOrAdapter = noClasses()
            .that().resideInAPackage("dev.responsecache.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "jakarta..", "org.glassfish..", "org.ehcache..", "redis..",
                    "dev.responsecache.jaxrs..", "dev.responsecache.servlet..",
                    "dev.responsecache.redis..", "dev.responsecache.ehcache..");

    /**
     * No package cycles, but one known: {@code spi} uses the core's value types ({@code ResponseStore} takes a
     * {@code core.CacheEntry}, {@code StoreContext} a {@code core.PropertyValues}) while the core loads stores through
     * {@code spi}. It ends when the value types a store author needs move into a package of their own; until then
     * that one direction, spi to core, is left out, so that any other cycle still fails here.
     */
    @ArchTest
    static final ArchRule packagesAreFreeOfCyclesButTheKnownSpiToCore = slices()
            .matching("dev.responsecache.(*)..")
            .should().beFreeOfCycles()
            .ignoreDependency(JavaClass.Predicates.resideInAPackage("dev.responsecache.spi.."),
                    JavaClass.Predicates.resideInAPackage("dev.responsecache.core.."));

    /** Libraries are used through their public API only: their internal packages change without notice. */
    @ArchTest
    static final ArchRule noLibraryInternals = noClasses()
            .that().resideInAPackage("dev.responsecache..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ehcache..internal..", "org.glassfish..internal..",
                    "org.jboss.resteasy..internal..", "redis.clients..internal..");
}
