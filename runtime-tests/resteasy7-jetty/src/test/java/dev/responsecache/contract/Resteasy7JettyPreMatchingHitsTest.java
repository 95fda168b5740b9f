package dev.responsecache.contract;

/** Hits before matching on RESTEasy 7.0 (Jakarta REST 4.0) in embedded Jetty 12 (ee11, Servlet 6.1). */
class Resteasy7JettyPreMatchingHitsTest extends ResteasyPreMatchingContract {

    @Override
    protected Container container() {
        return new JettyEe11();
    }
}
