package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.responsecache.spi.Header;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What a message body writer changed in the header map, folded into the headers the method produced. */
class WriterHeadersTest {

    private static final List<Header> PRODUCED = List.of(new Header("Content-Type", "text/csv"),
            new Header("X-Rows", "2"));
    /** The map before the writer: the method's headers and those the response filters and the cache added. */
    private static final List<Header> BEFORE = List.of(new Header("Content-Type", "text/csv"),
            new Header("X-Rows", "2"), new Header("X-Cache", "MISS"), new Header("Access-Control-Allow-Origin", "*"));

    @Test
    void writerThatSetsNothingLeavesTheProducedHeadersAsTheyAre() {
        assertSame(PRODUCED, WriterHeaders.applied(PRODUCED, BEFORE, List.copyOf(BEFORE)));
    }

    @Test
    void headerTheWriterAddsIsStoredAndNoFiltersHeaderIs() {
        List<Header> after = new ArrayList<>(BEFORE);
        after.add(new Header("Content-Disposition", "attachment; filename=report.csv"));
        assertEquals(List.of(new Header("Content-Type", "text/csv"), new Header("X-Rows", "2"),
                new Header("Content-Disposition", "attachment; filename=report.csv")),
                WriterHeaders.applied(PRODUCED, BEFORE, after));
    }

    /**
     * A writer that added a line to a header a response filter had put in the map ({@code Vary: Accept-Encoding} from
     * an encoder) stored the filter's line too, so a plain client then missed the gzip client's entry.
     */
    @Test
    void lineTheWriterAddsBesideAFiltersLineOfTheSameNameIsStoredAlone() {
        List<Header> before = new ArrayList<>(BEFORE);
        before.add(new Header("Vary", "Accept-Encoding"));
        List<Header> after = new ArrayList<>(before);
        after.add(new Header("Vary", "X-Report-Format"));
        assertEquals(List.of(new Header("Content-Type", "text/csv"), new Header("X-Rows", "2"),
                new Header("Vary", "X-Report-Format")), WriterHeaders.applied(PRODUCED, before, after));
    }

    /**
     * A header a response filter had changed (a charset added to the type) and the writer then replaced was stored
     * twice: the method's line and the writer's, so hits sent two content types.
     */
    @Test
    void headerAFilterChangedAndTheWriterReplacedIsStoredOnceAsTheWriterSetIt() {
        List<Header> before = List.of(new Header("Content-Type", "text/csv;charset=UTF-8"), new Header("X-Rows", "2"));
        List<Header> after = List.of(new Header("Content-Type", "text/plain"), new Header("X-Rows", "2"));
        assertEquals(List.of(new Header("X-Rows", "2"), new Header("Content-Type", "text/plain")),
                WriterHeaders.applied(PRODUCED, before, after));
    }

    /** The method's own line of a header beside which the writer only added one stays (a merged Vary does not). */
    @Test
    void methodsLineOfAHeaderTheWriterOnlyAddedToIsKept() {
        List<Header> produced = List.of(new Header("Content-Type", "text/csv"), new Header("Vary", "Accept-Language"));
        List<Header> before = List.of(new Header("Content-Type", "text/csv"),
                new Header("Vary", "Accept-Language, Accept-Encoding"));
        List<Header> after = List.of(new Header("Content-Type", "text/csv"),
                new Header("Vary", "Accept-Language, Accept-Encoding"), new Header("Vary", "X-Report-Format"));
        assertEquals(List.of(new Header("Content-Type", "text/csv"), new Header("Vary", "Accept-Language"),
                new Header("Vary", "X-Report-Format")), WriterHeaders.applied(produced, before, after));
    }

    @Test
    void headerTheWriterReplacesOrRemovesIsStoredAsTheWriterLeftIt() {
        List<Header> after = List.of(new Header("content-type", "text/csv;charset=UTF-8"),
                new Header("X-Cache", "MISS"), new Header("Access-Control-Allow-Origin", "*"));
        assertEquals(List.of(new Header("content-type", "text/csv;charset=UTF-8")),
                WriterHeaders.applied(PRODUCED, BEFORE, after));
    }
}
