package dev.responsecache.contract;

/** RESTEasy 6.2 without a servlet container: the probe finds no servlet request behind RESTEasy's proxy. */
class Resteasy6WithoutServletRequestTest extends ResteasyWithoutServletRequestContract {
}
