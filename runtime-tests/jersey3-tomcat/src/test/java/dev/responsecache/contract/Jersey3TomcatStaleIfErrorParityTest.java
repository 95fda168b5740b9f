package dev.responsecache.contract;

/** The adapters' stale-if-error parity on Jersey 3.1 in embedded Tomcat 10.1 (Servlet 6.0). */
class Jersey3TomcatStaleIfErrorParityTest extends StaleIfErrorParityContract {

    @Override
    protected Container container() {
        return new Tomcat10();
    }

    @Override
    protected JaxrsRuntime runtime() {
        return JaxrsRuntime.jersey();
    }
}
