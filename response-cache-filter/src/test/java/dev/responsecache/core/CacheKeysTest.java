package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

    private static final CachePolicy PLAIN = policy();
    private static final CachePolicy BY_LANGUAGE = policy(new VaryToken.Header("Accept-Language"));

    private static CachePolicy policy(VaryToken... tokens) {
        return new CachePolicy(Duration.ofSeconds(60), List.of(tokens), Set.of(200), false);
    }

    private static String key(String path, String query) {
        return CacheKeys.of(FakeRequest.get(path, query), PLAIN);
    }

    @ParameterizedTest(name = "{0} and {1} share a key")
    @CsvSource(delimiter = '|', value = {
        "a=1&b=2         | b=2&a=1",
        "a=1&a=2&b=3     | b=3&a=1&a=2",
        "a=%41           | a=A",
        "a=x+y           | a=x%20y",
        "a=1&&b=2        | b=2&a=1",
        "flag            | flag=",
        "&b=2&a=1&       | a=1&&b=2",
        "a==1            | a=%3D1",
    })
    void equivalentQueriesShareAKey(String left, String right) {
        assertEquals(key("/p", left), key("/p", right));
    }

    @ParameterizedTest(name = "{0} and {1} never share a key")
    @CsvSource(delimiter = '|', value = {
        "a=1&a=2                | a=2&a=1",
        "q=a%26b%3Dc            | q=a&b=c",
        "q=a%3Db                | q=a&b",
        "q=1:x                  | q=1&x",
        "a=1                    | a=1&a=1",
        "a=1b2                  | a=1&b=2",
        "n2:ab=x                | n2=ab",
        "a=%2B                  | a=+",
    })
    void distinctQueriesNeverShareAKey(String left, String right) {
        assertNotEquals(key("/p", left), key("/p", right));
    }

    @ParameterizedTest(name = "{0} and {1} never share a key when the query is read as sent")
    @CsvSource(delimiter = '|', value = {
        "a=1&b=2         | b=2&a=1",
        "a=%41           | a=A",
        "a=x+y           | a=x%20y",
        "flag            | flag=",
        "a=1&&b=2        | a=1&b=2",
    })
    void queryReadAsSentIsKeyedByteForByte(String left, String right) {
        CachePolicy asSent = PLAIN.withQueryAsSent();
        String key = CacheKeys.of(FakeRequest.get("/p", left), asSent);
        assertNotEquals(key, CacheKeys.of(FakeRequest.get("/p", right), asSent));
        assertEquals(key, CacheKeys.of(FakeRequest.get("/p", left), asSent));
        assertNotEquals(key, CacheKeys.of(FakeRequest.get("/p", left), PLAIN), "apart from the decoded layout");
    }

    @Test
    void queryReadAsSentTellsNoQueryFromAnEmptyOneAndStillRefusesAMalformedOne() {
        CachePolicy asSent = PLAIN.withQueryAsSent();
        assertNotEquals(CacheKeys.of(FakeRequest.get("/p", null), asSent),
                CacheKeys.of(FakeRequest.get("/p", ""), asSent));
        assertNull(CacheKeys.of(FakeRequest.get("/p", "a=%zz"), asSent));
    }

    @Test
    void forwardedPrefixKeysTheRequestOnlyWhenSent() {
        FakeRequest request = FakeRequest.get("/p", "a=1");
        String plain = CacheKeys.of(request, PLAIN);
        assertEquals("k3p2:/pq1n1:av1:1r16:application/json", plain);
        String shopA = CacheKeys.of(request.withHeader("X-Forwarded-Prefix", "/shop-a"), PLAIN);
        String shopB = CacheKeys.of(request.withHeader("x-forwarded-prefix", "/shop-b"), PLAIN);
        assertNotEquals(plain, shopA);
        assertNotEquals(shopA, shopB);
        assertNotEquals(plain, CacheKeys.of(request.withHeader("X-Forwarded-Prefix", ""), PLAIN));
        assertEquals(shopA, CacheKeys.of(request.withHeader("X-Forwarded-Prefix", "/shop-a"), PLAIN));
    }

    @Test
    void pathIsKeptAsSentSoEncodedSlashesStayDistinct() {
        assertNotEquals(key("/files/a%2Fb", null), key("/files/a/b", null));
        assertNotEquals(key("/items/1", null), key("/items/12", null));
        assertNotEquals(key("/items/1q0", null), key("/items/1", ""));
    }

    @Test
    void representationKeysTheEntry() {
        FakeRequest json = FakeRequest.get("/p", null);
        assertNotEquals(CacheKeys.of(json, PLAIN), CacheKeys.of(json.withRepresentation("application/xml"), PLAIN));
    }

    @Test
    void varyByHeaderSeparatesValuesAndAbsence() {
        FakeRequest request = FakeRequest.get("/p", null);
        String absent = CacheKeys.of(request, BY_LANGUAGE);
        String empty = CacheKeys.of(request.withHeader("Accept-Language", ""), BY_LANGUAGE);
        String french = CacheKeys.of(request.withHeader("accept-language", "fr"), BY_LANGUAGE);
        assertNotEquals(absent, empty);
        assertNotEquals(empty, french);
        assertEquals(french, CacheKeys.of(request.withHeader("Accept-Language", "fr"), BY_LANGUAGE));
    }

    @Test
    void varyByValuesCannotForgeOneAnother() {
        CachePolicy two = policy(new VaryToken.Header("A"), new VaryToken.Header("B"));
        FakeRequest request = FakeRequest.get("/p", null);
        String first = CacheKeys.of(request.withHeader("A", "x").withHeader("B", "y"), two);
        String forged = CacheKeys.of(request.withHeader("A", "x=1:y").withHeader("B", ""), two);
        assertNotEquals(first, forged);
    }

    @Test
    void principalKeysTheEntryAndUnidentifiedCredentialsCannotBeKeyed() {
        CachePolicy byUser = policy(new VaryToken.Principal());
        FakeRequest request = FakeRequest.get("/p", null);
        assertNotEquals(CacheKeys.of(request.withPrincipal("alice"), byUser),
                CacheKeys.of(request.withPrincipal("bob"), byUser));
        assertNull(CacheKeys.of(request.withHeader("Authorization", "Bearer x"), byUser));
    }

    @Test
    void cookieKeysTheEntry() {
        CachePolicy byTheme = policy(new VaryToken.Cookie("theme"));
        FakeRequest request = FakeRequest.get("/p", null);
        assertNotEquals(CacheKeys.of(request.withCookie("theme", "dark"), byTheme),
                CacheKeys.of(request.withCookie("theme", "light"), byTheme));
    }

    @Test
    void malformedQueryCannotBeKeyed() {
        assertNull(key("/p", "a=%zz"));
        assertNull(key("/p", "a=%4"));
    }

    @Test
    void queryThatIsNotUtf8CannotBeKeyedRatherThanCollide() {
        // Lenient decoding turns both into U+FFFD; an application reading the raw query sees two different values.
        assertNull(key("/p", "q=%E8"));
        assertNull(key("/p", "q=%E9"));
        assertEquals(key("/p", "q=%C3%A9"), key("/p", "q=é"));
    }
}
