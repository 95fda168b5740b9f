package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which queries the early hits may key as the container spells them: RFC 3986's query characters only. */
class QueryAsSentTest {

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "q=a%20b&x=1 true",
        "q=a+b;c=d:e@f/g?h~i-j.k_l!m$n'o(p)q*r,s true",
        "q=%5Ba%5D true",
        "q=[a] false",
        "q={a} false",
        "q=a|b false",
        "q=a^b false",
        "q=a\\b false",
        "q=a`b false",
        "q=a%2 false",
        "q=a%zz false",
        "q=\u00e9 false"
    })
    void spelledAsTheRuntimeSeesIt(String query, boolean expected) {
        assertEquals(expected, QueryAsSent.spelledAsTheRuntimeSeesIt(query), query);
    }
}
