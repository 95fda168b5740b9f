package dev.responsecache.jaxrs;

/** A written response the rules allowed as the innermost writer interceptor saw it, not stored yet. */
record WrittenResponse(PendingStore pending, ProducedResponse produced, byte[] body) {
}
