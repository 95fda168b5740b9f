package dev.responsecache.jaxrs;

import dev.responsecache.core.Lookup;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * The {@code Response} a hit is given to {@code abortWith} as: the stored status and header lines (the body's
 * identity coding where the entry is stored compressed, {@link GzipAnswer}) and the stored body as its entity, which
 * goes through the application's response filters and writer interceptors as the miss did ({@link CachingFilter}).
 */
final class HitReplay {

    private final String statusHeader;
    /** What the runtime attaches to the method's entity, which the application's filters and interceptors see. */
    private final EntityAnnotations annotations;
    private volatile ReplayedType lastType;

    HitReplay(String statusHeader, EntityAnnotations annotations) {
        this.statusHeader = statusHeader;
        this.annotations = annotations;
    }

    Response replay(Lookup lookup) {
        Response.ResponseBuilder response = Response.status(lookup.status());
        GzipAnswer gzip = GzipAnswer.of(lookup);
        for (Header replayed : lookup.replayHeaders(statusHeader)) {
            Header header = gzip == null ? replayed : gzip.asIdentity(replayed);
            if (header == null) {
                continue;
            }
            response.header(header.name(), header.is(HttpHeaders.CONTENT_TYPE) ? contentType(header.value())
                    : header.value());
        }
        CacheEntry entry = lookup.entry();
        // No Content-Length: an encoder the application registered may still encode the body, and the runtime
        // frames it as it framed the miss. A HEAD gets the entity too, so that the runtime computes the same
        // headers as for the GET and then drops the body, as it does for a HEAD miss.
        // An error status with an empty body gets its (empty) entity too: without one, Jersey answers it with the
        // container's error page (sendError), which the miss, whose method returned an entity, did not send.
        Object entity = lookup.outcome() == Lookup.Outcome.HIT && (entry.bodyLength() > 0 || entry.status() >= 400)
                ? gzip != null ? gzip : (StreamingOutput) entry::writeBody : null;
        if (annotations.known()) {
            // Without an entity too: the runtime attaches them to a method's response that has none.
            response.entity(entity, annotations.annotations());
        } else if (entity != null) {
            response.entity(entity);
        }
        return response.build();
    }

    /**
     * The stored Content-Type as a parsed {@link MediaType}: the runtime needs the media type of every response to
     * choose its writer, and would otherwise parse the text again on every hit. One method nearly always produces
     * one type, so remembering the last one parsed is enough. The text is kept when the parsed type would be
     * written back differently, so that a hit replays exactly the stored header.
     */
    private Object contentType(String text) {
        ReplayedType last = lastType;
        if (last == null || !last.text().equals(text)) {
            MediaType parsed;
            try {
                parsed = MediaType.valueOf(text);
            } catch (IllegalArgumentException unparsable) {
                parsed = null;
            }
            last = new ReplayedType(text, parsed != null && parsed.toString().equals(text) ? parsed : null);
            lastType = last;
        }
        return last.type() != null ? last.type() : text;
    }

    /** A Content-Type text and its parsed form (null when it must be replayed as text). */
    private record ReplayedType(String text, MediaType type) {
    }
}
