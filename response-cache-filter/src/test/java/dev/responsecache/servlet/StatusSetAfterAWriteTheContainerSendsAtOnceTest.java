package dev.responsecache.servlet;

import dev.responsecache.testing.Container;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jetty sends a single write longer than its output aggregation size (8 KiB by default) at once, committing the
 * response though its 32 KB buffer has room for it, and a write that fills the buffer; Tomcat keeps whatever its buffer
 * holds. The cache holds such a body and counted only its total against the buffer, so on Jetty a status or header set
 * after a 10 KB write reached the client on the miss (and the header was stored), though the container alone ignores
 * them. Each case runs on a container of its own: Tomcat keeps a buffer a servlet enlarged for its next responses.
 */
class StatusSetAfterAWriteTheContainerSendsAtOnceTest {

    /** Sets the buffer size when asked ({@code ?buffer=}), writes the page in writes of the sizes asked, then more. */
    static final class WritesAtOnceServlet extends LateStatusAsAlone.RecordingServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String buffer = request.getParameter("buffer");
            if (buffer != null) {
                response.setBufferSize(Integer.parseInt(buffer));
            }
            response.setContentType("application/octet-stream");
            byte letter = 'a';
            for (String size : request.getParameter("writes").split(",")) {
                byte[] bytes = new byte[Integer.parseInt(size)];
                Arrays.fill(bytes, letter++);
                response.getOutputStream().write(bytes);
            }
            committed.add(response.isCommitted());
            response.setHeader("X-Late", "set after the write");
            response.setStatus(503);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                // Jetty's default aggregation size is 8 KiB; its buffer 32 KB, Tomcat's 8 KB.
                Arguments.of(container, "writes=8192"),
                Arguments.of(container, "writes=8193"),
                Arguments.of(container, "writes=100,10000"),
                // The buffer's size exactly, in one write and in two: Jetty sends it, Tomcat keeps it.
                Arguments.of(container, "buffer=16384&writes=16384"),
                Arguments.of(container, "buffer=16384&writes=8192,8192"),
                // A set buffer makes Jetty's aggregation size the buffer's: a 12 KB write stays in a 16 KB buffer.
                Arguments.of(container, "buffer=16384&writes=12000"),
                Arguments.of(container, "buffer=65536&writes=40000")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aStatusOrHeaderSetAfterAWriteIsIgnoredOnTheMissAndTheHitExactlyWhenTheContainerIgnoresIt(Container container,
                                                                                                   String query) {
        LateStatusAsAlone.check(container, query, WritesAtOnceServlet::new, 1);
    }
}
