package dev.responsecache.servlet;

import dev.responsecache.testing.Container;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tomcat's writer encodes its 8,192 characters at a time; a surrogate pair split by that boundary has its high half
 * carried to the next encoding, not encoded alone. And when the characters it encoded leave such a half carried while
 * its byte buffer is within four bytes of full, it sends the buffer (commits the response). The cache estimated the
 * bytes of those characters by encoding each slice alone, a split half as one {@code ?} byte (one byte too many, then
 * two too few), and knew nothing of the carried half: after 8,191 ASCII characters and an emoji on the boundary
 * Tomcat commits and ignores a late status, which the cache still let through (a 503 where Tomcat alone sends 200); with
 * a 16 KB buffer, counted between two prints, the second slice outgrew it by two bytes and the cache did not see it.
 */
class StatusSetAfterASurrogatePairStraddledTomcatsCharBufferTest {

    private static final String EMOJI = "\uD83D\uDE00";

    /**
     * Prints {@code before} ASCII characters, an emoji and one more, then {@code after} less one more; then a late
     * status.
     */
    static final class StraddlingServlet extends LateStatusAsAlone.RecordingServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String buffer = request.getParameter("buffer");
            if (buffer != null) {
                response.setBufferSize(Integer.parseInt(buffer));
            }
            response.setContentType("text/plain;charset=UTF-8");
            PrintWriter writer = response.getWriter();
            writer.print("a".repeat(Integer.parseInt(request.getParameter("before"))) + EMOJI + "b");
            // Asked in between, as a servlet or filter may: the cache counts the bytes of what was encoded by then.
            committed.add(response.isCommitted());
            writer.print("b".repeat(Integer.parseInt(request.getParameter("after")) - 1));
            committed.add(response.isCommitted());
            response.setHeader("X-Late", "set after the text");
            response.setStatus(503);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                        "before=8191&after=1", "before=8191&after=100",
                        "buffer=16384&before=8191&after=8193", "buffer=16384&before=8191&after=8192")
                .map(query -> Arguments.of(container, query)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aStatusSetAfterTheTextIsIgnoredOnTheMissAndTheHitExactlyWhenTheContainerIgnoresIt(Container container,
                                                                                          String query) {
        LateStatusAsAlone.check(container, query, StraddlingServlet::new, 2);
    }
}
