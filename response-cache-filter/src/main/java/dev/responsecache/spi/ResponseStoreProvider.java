package dev.responsecache.spi;

/**
 * Creates a store by name. Providers are found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.responsecache.spi.ResponseStoreProvider}. The store named by
 * {@code responsecache.store} is created once per application, at start-up.
 */
public interface ResponseStoreProvider {

    /** The value of {@code responsecache.store} that selects this provider, e.g. {@code ehcache}. */
    String name();

    /**
     * Creates the store. Must validate its own properties and throw
     * {@link dev.responsecache.ResponseCacheConfigException} naming the property and value when one is bad. Should
     * not fail because a remote server is unreachable: the cache then runs uncached until it is reachable.
     */
    ResponseStore create(StoreContext context);
}
