package dev.responsecache.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** The compressible JSON body of {@code /catalog}, and the gzip body {@code /catalog-encoded} encodes itself. */
final class Catalog {

    private Catalog() {
    }

    /** About 4 KiB of JSON that names the call that produced it. */
    static String json(int call) {
        StringBuilder json = new StringBuilder("{\"call\":").append(call).append(",\"products\":[");
        for (int i = 0; i < 60; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"product ").append(i)
                    .append("\",\"price\":").append(10 + i).append(".99}");
        }
        return json.append("]}").toString();
    }

    /** The body as an application's own encoder would send it. */
    static byte[] gzipped(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
