package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.ws.rs.core.MediaType;

import java.lang.reflect.Method;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The representation part of the key of a method that produces one type, and of its early hits. */
class RepresentationTest {

    private final Representation text = representation(Plain.class, "text/plain");
    private final String mark = Representation.handler(Plain.class, method(Plain.class)) + " ";

    private static Representation representation(Class<?> resource, String type) {
        return Representation.of(List.of(MediaType.valueOf(type)), resource, method(resource));
    }

    private static Method method(Class<?> resource) {
        try {
            return resource.getMethod("get");
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /** A resource method, whose mark keys its representations. */
    public static final class Plain {
        public String get() {
            return "plain";
        }
    }

    /** Another with the same method, served at the same URL through a locator, say. */
    public static final class Other {
        public String get() {
            return "other";
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "text/plain                                     | false",
        "text/html,application/xhtml+xml,*/*;q=0.8      | false",
        "text/plain; q=0.5, */* ;Q=0.1                  | false",
        "text/plain;charset=UTF-16                      | true",
        "text/plain;q=0.5;charset=UTF-16                | true",
        "text/plain; level=1                            | true",
        "text/plain;qs=0.5                              | true",
        "text/plain;                                    | true",
    })
    void rangeParametersOtherThanTheWeightAreFound(String accept, boolean parameterized) {
        assertEquals(parameterized, Representation.hasParameterBesidesQuality(accept));
    }

    @Test
    void charsetAskedForInAcceptKeysApartFromThePlainType() {
        assertEquals(mark + "text/plain", text.of((String) null));
        assertEquals(mark + "text/plain", text.of("text/html,*/*;q=0.8"));
        String utf16 = text.of("text/plain;charset=UTF-16");
        assertNotEquals(mark + "text/plain", utf16);
        assertNotEquals(utf16, text.of("text/plain;charset=UTF-8"));
    }

    /** Two methods the runtime routes one URL to share no representation, so no key. */
    @Test
    void twoResourceMethodsNeverShareARepresentation() {
        Representation other = representation(Other.class, "text/plain");
        for (String accept : new String[] {null, "text/plain", "*/*", "text/plain;charset=UTF-16"}) {
            assertNotEquals(text.of(accept), other.of(accept), accept);
        }
        assertEquals(Representation.handler(Plain.class, method(Plain.class)),
                Representation.handler(Plain.class, method(Plain.class)), "the same on every instance");
    }

    @Test
    void earlyHitsKeyAsTheMethodsLookupDoes() {
        for (String accept : new String[] {"text/plain", "*/*;q=0.5", "text/plain;charset=UTF-16"}) {
            assertEquals(text.of(accept), text.forEarlyHit(accept), accept);
            assertEquals(text.of(accept), text.forEarlyHit(accept), accept + " (remembered)");
        }
        assertNull(text.forEarlyHit("application/json;charset=UTF-16"));
    }

    @ParameterizedTest(name = "q={0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0      | true", "0.5   | true", "0.001 | true", "1     | true", "1.000 | true",
        "1.5    | false", "1.001 | false", "0.1234 | false", "2 | false", "NaN | false", "1e0 | false",
        "0x1p-1 | false", "Infinity | false", "-0 | false", "1.0000 | false", ".12345 | false", ". | false",
        "1.1 | false", ".5a | false",
        // As Jersey's quality reader reads them (and RESTEasy's Float.valueOf): a point without a digit on one side.
        ".5 | true", ".2 | true", ".1234 | true", "0. | true", "1. | true",
        "' 0.5' | false", "'' | false",
    })
    void weightsOutsideTheGrammarAreToldApart(String quality, boolean readable) {
        assertEquals(readable, Representation.isQualityValue(quality));
    }

    /** Jersey answers a weight it cannot read with a 400 as it matches: no hit before matching may answer it. */
    @Test
    void weightTheRuntimeCannotReadLeavesTheEarlyHitToTheRuntime() {
        for (String accept : new String[] {"text/plain;q=1.5", "*/*;q=2", "text/plain;q=0.12345", "text/plain;q=NaN",
                "text/plain;q=0.5, text/html;q=1.5"}) {
            assertNull(text.forEarlyHit(accept), accept);
        }
        assertEquals(text.of("text/plain;q=0.5"), text.forEarlyHit("text/plain;q=0.5"));
    }

    /** Jersey (and RESTEasy) read a weight with no digit before or after the point: an early hit answers it. */
    @Test
    void weightJerseyReadsWithoutADigitBesideThePointIsAnEarlyHit() {
        for (String accept : new String[] {"text/plain;q=.5", "*/*; q=.2", "text/html, */*; q=.2", "text/plain;q=1."}) {
            assertEquals(text.of(accept), text.forEarlyHit(accept), accept);
        }
    }
}
