package dev.responsecache.contract;

/** Hits before matching on RESTEasy 6.2 (Jakarta REST 3.1) in embedded Jetty 12 (ee10, Servlet 6.0). */
class Resteasy6JettyPreMatchingHitsTest extends ResteasyPreMatchingContract {

    @Override
    protected Container container() {
        return new JettyEe10();
    }
}
