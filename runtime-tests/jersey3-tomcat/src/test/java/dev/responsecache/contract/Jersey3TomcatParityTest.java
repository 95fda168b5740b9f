package dev.responsecache.contract;

/** The adapters' parity on Jersey 3.1 in embedded Tomcat 10.1 (Servlet 6.0), with Tomcat's leak checks on stop. */
class Jersey3TomcatParityTest extends ParityContract {

    @Override
    protected Container container() {
        return new Tomcat10();
    }

    @Override
    protected JaxrsRuntime runtime() {
        return JaxrsRuntime.jersey();
    }
}
