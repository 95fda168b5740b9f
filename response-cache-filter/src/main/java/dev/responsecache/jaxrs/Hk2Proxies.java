package dev.responsecache.jaxrs;

import org.glassfish.hk2.api.ProxyCtl;

/** HK2's proxies, which name the object behind them ({@link ProxyCtl}). Loaded only when Jersey and HK2 are present. */
final class Hk2Proxies {

    private Hk2Proxies() {
    }

    /** The object behind {@code injected} if HK2 made it a proxy (null where it resolves to nothing), else itself. */
    static Object underlying(Object injected) {
        return injected instanceof ProxyCtl proxy ? proxy.__make() : injected;
    }
}
