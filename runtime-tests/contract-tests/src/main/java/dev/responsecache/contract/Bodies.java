package dev.responsecache.contract;

/** The bodies of the capture endpoints of {@link ParityResource} and {@link ParityServlet}: recognisable bytes. */
final class Bodies {

    /** The size at which 900 KB misses were once cut to 589,824 bytes when the heap was nearly full. */
    static final int LARGE = 900 * 1024;
    static final int SMALL = 1000;
    /** Larger than any socket buffer, so that a client really hangs up or stalls in the middle of it. */
    static final int WHOLE = 8 << 20;
    static final int CHUNK = 8 * 1024;

    private Bodies() {
    }

    static byte[] of(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }
}
