package dev.responsecache.contract;

/** Hits before matching on RESTEasy 6.2 (Jakarta REST 3.1) in embedded Tomcat 10.1. */
class Resteasy6TomcatPreMatchingHitsTest extends ResteasyPreMatchingContract {

    @Override
    protected Container container() {
        return new Tomcat10();
    }
}
