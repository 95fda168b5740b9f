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
 * Text written to the writer commits the response where each container's own buffering says, not where its characters
 * outnumber the buffer: Jetty encodes as it goes and commits when the bytes fill its buffer (32 KB: 16,384 two-byte
 * characters); Tomcat holds 8,192 characters before encoding them into its byte buffer, and commits when the bytes of
 * the characters it encoded outgrow that buffer (16,385 ASCII characters, 8,193 two-byte ones, with its 8 KB buffer).
 * The cache holds the text and counted its characters against the buffer, so a status or header set after it was
 * dropped where the container alone sends it (10,000 ASCII characters on Tomcat) and kept, and stored, where the
 * container ignores it (20,000 two-byte characters on Jetty). A flush of the writer commits on both, whatever follows.
 * Tomcat encodes a character array of twice its 8,192 characters or more whole.
 * Each case runs on a container of its own: Tomcat keeps a buffer a servlet enlarged for its next responses.
 */
class StatusSetAfterTheWritersTextOutgrewTheBufferTest {

    /**
     * Prints {@code chars} copies of {@code text} (after {@code flushed} and a flush, if asked; in pieces, as character
     * arrays, if asked), then sets a status and a header.
     */
    static final class TextServlet extends LateStatusAsAlone.RecordingServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String buffer = request.getParameter("buffer");
            if (buffer != null) {
                response.setBufferSize(Integer.parseInt(buffer));
            }
            response.setContentType("text/plain;charset=UTF-8");
            String text = request.getParameter("text");
            PrintWriter writer = response.getWriter();
            String flushed = request.getParameter("flushed");
            if (flushed != null) {
                writer.print(text.repeat(Integer.parseInt(flushed)));
                writer.flush();
            }
            int chars = Integer.parseInt(request.getParameter("chars"));
            int piece = request.getParameter("piece") == null ? chars : Integer.parseInt(request.getParameter("piece"));
            for (int printed = 0; printed < chars; printed += piece) {
                String part = text.repeat(Math.min(piece, chars - printed));
                if (request.getParameter("array") != null) {
                    writer.write(part.toCharArray());
                } else {
                    writer.print(part);
                }
            }
            committed.add(response.isCommitted());
            response.setHeader("X-Late", "set after the text");
            response.setStatus(503);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                "text=a&chars=8192", "text=a&chars=8193", "text=a&chars=10000", "text=a&chars=16384",
                "text=a&chars=16385", "text=a&chars=32768", "text=a&chars=40000", "text=a&chars=20000&piece=100",
                "text=é&chars=8192", "text=é&chars=8193", "text=é&chars=16383", "text=é&chars=16384",
                "text=é&chars=20000", "text=é&chars=20000&piece=333", "text=€&chars=10922", "text=€&chars=10923",
                "buffer=20000&text=é&chars=16384", "buffer=20000&text=é&chars=16385",
                "buffer=20000&text=a&chars=24577",
                // Tomcat encodes a long character array whole, a shorter one a char buffer at a time.
                "text=a&chars=16384&array=1", "text=a&chars=12000&array=1", "text=é&chars=12000&array=1",
                "text=a&chars=30000&piece=10000&array=1", "text=a&chars=16383&array=1",
                // A flush commits on both, and multi-byte text after it changes nothing.
                "text=é&flushed=100&chars=8000", "text=é&flushed=100&chars=9000", "text=é&flushed=5000&chars=5000")
                .map(query -> Arguments.of(container, query)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aStatusOrHeaderSetAfterTheTextIsIgnoredOnTheMissAndTheHitExactlyWhenTheContainerIgnoresIt(
            Container container, String query) {
        String encoded = query.replace("é", "%C3%A9").replace("€", "%E2%82%AC");
        LateStatusAsAlone.check(container, encoded, TextServlet::new, 1);
    }
}
