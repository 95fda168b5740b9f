package dev.responsecache.contract;

/** The adapters' stale-if-error parity on RESTEasy 6.2 in embedded Tomcat 10.1 (Servlet 6.0). */
class Resteasy6TomcatStaleIfErrorParityTest extends StaleIfErrorParityContract {

    @Override
    protected Container container() {
        return new Tomcat10();
    }

    @Override
    protected JaxrsRuntime runtime() {
        return JaxrsRuntime.resteasy();
    }
}
