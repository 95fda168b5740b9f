package dev.responsecache.contract;

/** The adapters' stale-if-error parity on RESTEasy 6.2 (Jakarta REST 3.1) in embedded Jetty 12 (ee10, Servlet 6.0). */
class Resteasy6JettyStaleIfErrorParityTest extends StaleIfErrorParityContract {

    @Override
    protected Container container() {
        return new JettyEe10();
    }

    @Override
    protected JaxrsRuntime runtime() {
        return JaxrsRuntime.resteasy();
    }
}
