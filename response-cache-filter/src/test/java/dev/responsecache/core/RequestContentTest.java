package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestContentTest {

    private final MutableClock clock = new MutableClock();
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));

    @AfterEach
    void close() {
        cache.close();
    }

    @ParameterizedTest(name = "{0}: {1} carries content: {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "Content-Length    | 0       | false",
        "Content-Length    | 000     | false",
        "Content-Length    | 5       | true",
        "Content-Length    | 0,5     | true",
        "Content-Length    | x       | true",
        "Content-Length    | ''      | true",
        "Transfer-Encoding | chunked | true",
        "Transfer-Encoding | ''      | true",
        "Accept            | */*     | false",
    })
    void contentIsAnyLengthButZeroOrAnyTransferEncoding(String name, String value, boolean carried) {
        assertEquals(carried, RequestContent.carried(FakeRequest.get("/search", null).withHeader(name, value)));
    }

    @Test
    void getWithContentIsNeitherAnsweredFromTheEntryOfItsUrlNorStored() {
        CachePolicy policy = new CachePolicy(Duration.ofSeconds(60), List.of(), Set.of(200), false);
        for (CachePolicy either : List.of(policy, policy.fromHeaders(), policy.asSent())) {
            FakeRequest plain = FakeRequest.get("/search", null);
            Lookup miss = cache.lookup(either, plain);
            assertEquals(Lookup.Outcome.MISS, miss.outcome());
            cache.store(miss, 200, List.of(new Header("Cache-Control", "max-age=60")), new byte[] {1});
            assertEquals(Lookup.Outcome.HIT, cache.lookup(either, plain).outcome());
            for (String[] content : new String[][] {{"Content-Length", "6"}, {"Transfer-Encoding", "chunked"}}) {
                Lookup lookup = cache.lookup(either, FakeRequest.get("/search", null).withHeader(content[0],
                        content[1]));
                assertEquals(Lookup.Outcome.BYPASS, lookup.outcome(), either + " " + content[0]);
                assertEquals("request-body", lookup.reason());
                assertEquals(false, lookup.mayStore());
            }
            cache.invalidator().evictAll();
        }
    }
}
