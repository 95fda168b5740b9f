package dev.responsecache;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package layering, stated as tests rather than left to a README. */
@AnalyzeClasses(packages = "dev.responsecache", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    /**
     * The rules and the engine see the JDK, SLF4J, the configuration keys and the store SPI, nothing else: no
     * framework, no store, no adapter, no metrics library. Both adapters and every store share them.
     */
    @ArchTest
    static final ArchRule coreSeesOnlyTheJdkTheConfigurationAndTheSpi = classes()
            .that().resideInAPackage("dev.responsecache.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "java..", "org.slf4j..", "dev.responsecache", "dev.responsecache.core..", "dev.responsecache.spi..");

    /**
     * A store author needs the SPI package and the configuration keys only, so the SPI has no path back into the
     * engine, an adapter or a store.
     */
    @ArchTest
    static final ArchRule spiSeesOnlyTheJdkAndTheConfiguration = classes()
            .that().resideInAPackage("dev.responsecache.spi..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "java..", "org.slf4j..", "dev.responsecache", "dev.responsecache.spi..");

    /** The bundled stores are written as any store author writes one: against the SPI, never the engine. */
    @ArchTest
    static final ArchRule redisStoreUsesTheSpiOnly = noClasses()
            .that().resideInAPackage("dev.responsecache.redis..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.responsecache.core..",
                    "dev.responsecache.jaxrs..", "dev.responsecache.servlet..", "dev.responsecache.micrometer..",
                    "dev.responsecache.ehcache..");

    @ArchTest
    static final ArchRule ehcacheStoreUsesTheSpiOnly = noClasses()
            .that().resideInAPackage("dev.responsecache.ehcache..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.responsecache.core..",
                    "dev.responsecache.jaxrs..", "dev.responsecache.servlet..", "dev.responsecache.micrometer..",
                    "dev.responsecache.redis..");

    /** Neither adapter reaches into the other: what they share lives in the core. */
    @ArchTest
    static final ArchRule servletAdapterDoesNotUseTheJaxrsAdapter = noClasses()
            .that().resideInAPackage("dev.responsecache.servlet..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.responsecache.jaxrs..",
                    "dev.responsecache.redis..", "dev.responsecache.ehcache..");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices()
            .matching("dev.responsecache.(*)..")
            .should().beFreeOfCycles();

    /**
     * Libraries are used through their public API only: their internal packages change without notice. One
     * exception, {@code JerseyProviders}: Jersey has no public way to list the filters it runs, and the pre-matching
     * hits must not skip one, so it reads Jersey's injection manager and fails closed (no such hits) on any change.
     */
    @ArchTest
    static final ArchRule noLibraryInternals = noClasses()
            .that().resideInAPackage("dev.responsecache..")
            .and().doNotHaveFullyQualifiedName("dev.responsecache.jaxrs.JerseyProviders")
            .should().dependOnClassesThat().resideInAnyPackage("org.ehcache..internal..", "org.glassfish..internal..",
                    "org.jboss.resteasy..internal..", "redis.clients..internal..", "org.eclipse.jetty..internal..");

    /**
     * Jetty is optional: one class touches its types, and it is loaded only behind {@code JettyResponses}'s check
     * that Jetty's own servlet response is there, so that nothing resolves a Jetty type on another container.
     */
    @ArchTest
    static final ArchRule onlyJettyHitFieldsSeesJetty = noClasses()
            .that().resideInAPackage("dev.responsecache..")
            .and().haveNameNotMatching("dev\\.responsecache\\.servlet\\.JettyHitFields(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..");
}
