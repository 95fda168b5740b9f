package dev.responsecache.contract;

/** The adapters' parity on RESTEasy 6.2 in embedded Tomcat 10.1 (Servlet 6.0), with Tomcat's leak checks on stop. */
class Resteasy6TomcatParityTest extends ParityContract {

    @Override
    protected Container container() {
        return new Tomcat10();
    }

    @Override
    protected JaxrsRuntime runtime() {
        return JaxrsRuntime.resteasy();
    }
}
