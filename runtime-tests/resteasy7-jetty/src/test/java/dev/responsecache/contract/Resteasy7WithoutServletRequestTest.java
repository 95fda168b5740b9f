package dev.responsecache.contract;

/** RESTEasy 7.0 without a servlet container: the probe finds no servlet request behind RESTEasy's proxy. */
class Resteasy7WithoutServletRequestTest extends ResteasyWithoutServletRequestContract {
}
