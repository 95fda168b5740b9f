/** The annotations users put on resource methods. No dependencies. */
module dev.responsecache.annotation {
    exports dev.responsecache.annotation;
}
