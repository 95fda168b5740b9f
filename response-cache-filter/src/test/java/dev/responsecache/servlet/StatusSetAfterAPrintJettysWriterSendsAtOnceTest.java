package dev.responsecache.servlet;

import dev.responsecache.testing.Container;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jetty's writer hands its stream the bytes of each print (1,024 characters at a time), and the stream sends at once a
 * write longer than the buffer size set, and a first write as long as it: after {@code setBufferSize(1)} a first print
 * of one character commits the response, after {@code setBufferSize(1000)} a print of 1,000 characters does. The
 * cache counted held text as committed only once its bytes filled the buffer Jetty's pool hands out (4 KiB for those
 * sizes), so a status or header set after such a print was sent and stored (the servlet's late 503) where Jetty alone
 * ignores it and answers the 200 it had sent. Tomcat's writer commits by its buffer alone (the controls).
 */
class StatusSetAfterAPrintJettysWriterSendsAtOnceTest {

    static Stream<Arguments> prints() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                "buffer=1&text=a&chars=1", "buffer=1&text=a&chars=6", "buffer=1&text=a&chars=6&piece=1",
                "buffer=100&text=a&chars=300", "buffer=1000&text=a&chars=1000", "buffer=1000&text=a&chars=1500",
                "buffer=1000&text=\u00e9&chars=500", "buffer=1000&text=a&chars=1500&piece=1000",
                // Sent at once by neither: shorter than the buffer set, or a later print no longer than it.
                "buffer=1000&text=a&chars=999", "buffer=1000&text=\u00e9&chars=499",
                "buffer=1000&text=a&chars=1200&piece=100", "buffer=2000&text=\u00e9&chars=1500&piece=100")
                .map(query -> Arguments.of(container, query)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("prints")
    void aStatusOrHeaderSetAfterAPrintIsIgnoredOnTheMissAndTheHitExactlyWhenTheContainerIgnoresIt(
            Container container, String query) {
        LateStatusAsAlone.check(container, query, StatusSetAfterTheWritersTextOutgrewTheBufferTest.TextServlet::new, 1);
    }
}
