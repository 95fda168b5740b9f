package dev.responsecache.contract;

/** The adapters' stale-if-error parity on Jersey 4.0 (Jakarta REST 4.0) in embedded Jetty 12 (ee11, Servlet 6.1). */
class Jersey4JettyStaleIfErrorParityTest extends StaleIfErrorParityContract {

    @Override
    protected Container container() {
        return new JettyEe11();
    }

    @Override
    protected JaxrsRuntime runtime() {
        return JaxrsRuntime.jersey();
    }
}
