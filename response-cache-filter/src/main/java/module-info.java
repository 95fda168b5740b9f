/**
 * The response cache: the JAX-RS feature ({@link dev.responsecache.jaxrs}), the servlet filter and its lifecycle
 * ({@link dev.responsecache.servlet}), the configuration keys and eviction API ({@link dev.responsecache}) and the
 * store SPI ({@link dev.responsecache.spi}). The engine ({@code dev.responsecache.core}) and the bundled stores and
 * Micrometer binding are not exported: they are found by name ({@code responsecache.store}) through
 * {@link java.util.ServiceLoader}.
 */
// requires-automatic: Ehcache 3 (a required dependency) and several optional runtimes (Jersey, RESTEasy, Micrometer,
// Jedis, HK2) ship no module-info; Ehcache's jakarta jar has not even an Automatic-Module-Name, so its module name is
// derived from the file name ("ehcache"). Naming them is the only way to read them from a named module; every other
// lint stays an error.
@SuppressWarnings("requires-automatic")
module dev.responsecache {
    requires transitive dev.responsecache.annotation;
    requires org.slf4j;
    requires ehcache;
    // Not static, although the JAX-RS adapter runs without it: a module that provides a service must read the
    // service's module (the ServletContainerInitializer below), or the module graph does not resolve at all.
    requires transitive jakarta.servlet;

    // Each adapter, store and binding is used only when its runtime is present. Jersey 3.1 and RESTEasy have no
    // module name (these are their file names); Jersey 4's module is org.glassfish.jersey.core.server, so the JAX-RS
    // adapter also reads, at run time, the module its runtime's classes come from (RuntimeIntegration).
    requires static transitive jakarta.ws.rs;
    requires static redis.clients.jedis;
    // Jedis's pool (Apache Commons Pool, a dependency of Jedis): the single server's pool bounds each new connection's
    // login as a whole (BoundedLogin).
    requires static org.apache.commons.pool2;
    requires static micrometer.core;
    requires static jersey.server;
    requires static jersey.common;
    requires static jersey.mvc;
    requires static org.glassfish.hk2.api;
    requires static resteasy.core.spi;
    // Grizzly's own sessions, when Jersey runs on Grizzly without a servlet container (GrizzlySessionProbe).
    requires static org.glassfish.grizzly.http.server;
    requires static org.glassfish.grizzly.http;
    requires static jakarta.inject;
    // Jetty 12.1 ee10's own response fields, written directly on a hit there (JettyHitFields).
    requires static org.eclipse.jetty.ee10.servlet;
    requires static org.eclipse.jetty.server;
    requires static org.eclipse.jetty.http;
    requires static org.eclipse.jetty.util;

    exports dev.responsecache;
    exports dev.responsecache.jaxrs;
    exports dev.responsecache.servlet;
    exports dev.responsecache.spi;

    // Jersey, HK2 and RESTEasy construct the providers registered by class and inject their @Context fields.
    opens dev.responsecache.jaxrs;

    uses dev.responsecache.spi.ResponseStoreProvider;
    uses dev.responsecache.core.CacheEventsProvider;
    uses org.ehcache.core.spi.service.ServiceFactory;

    provides dev.responsecache.spi.ResponseStoreProvider with
            dev.responsecache.ehcache.EhcacheStoreProvider,
            dev.responsecache.redis.RedisStoreProvider;
    provides dev.responsecache.core.CacheEventsProvider with dev.responsecache.micrometer.MicrometerEventsProvider;
    provides jakarta.servlet.ServletContainerInitializer with dev.responsecache.servlet.ResponseCacheInitializer;
}
