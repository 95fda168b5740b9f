package dev.responsecache.servlet;

import dev.responsecache.testing.Container;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jetty takes its output buffer from its buffer pool, which rounds the size up to a bucket (a multiple of 4 KiB by
 * default: {@code setBufferSize(10000)} gives 12,288 bytes), and commits when that buffer is full, not at the size set;
 * only a first write as long as the size set is sent at once. The cache counted the body against the size set, so a
 * status or header set after 10,000 bytes of two writes was dropped where Jetty alone sends it (the cache answered,
 * and stored, 200 where the servlet alone answered 503). Tomcat's buffer is the size set (grown only: a smaller size
 * keeps its 8 KB), which its {@code getBufferSize} reports. Sizes below, at and past a bucket boundary, and the
 * default; each case runs on a container of its own: Tomcat keeps a buffer a servlet enlarged for its next responses.
 */
class StatusSetPastTheBufferSizeSetButWithinJettysPooledBufferTest {

    static Stream<Arguments> writes() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                // Below a boundary: 10,000 set, 12,288 taken.
                "buffer=10000&writes=10000", "buffer=10000&writes=5000,5000", "buffer=10000&writes=5000,7287",
                "buffer=10000&writes=5000,7288", "buffer=10000&writes=100,100,9900,2188",
                // At a boundary: the size set is the bucket's.
                "buffer=12288&writes=6000,6287", "buffer=12288&writes=6000,6288",
                // Just past one: 12,289 set, 16,384 taken.
                "buffer=12289&writes=6000,6289", "buffer=12289&writes=8000,8383", "buffer=12289&writes=8000,8384",
                // Smaller than Tomcat's 8 KB, which it keeps.
                "buffer=5000&writes=3000,2000", "buffer=5000&writes=3000,5000",
                // Past the pool's largest bucket (64 KiB): allocated as asked.
                "buffer=70000&writes=40000,29999", "buffer=70000&writes=40000,30000",
                // The default, 32,768 on Jetty (a bucket's size), 8,192 on Tomcat.
                "writes=8000,8000,8000,8767", "writes=8000,8000,8000,8768")
                .map(query -> Arguments.of(container, query)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("writes")
    void aStatusOrHeaderSetAfterWritesIsIgnoredOnTheMissAndTheHitExactlyWhenTheContainerIgnoresIt(
            Container container, String query) {
        LateStatusAsAlone.check(container, query,
                StatusSetAfterAWriteTheContainerSendsAtOnceTest.WritesAtOnceServlet::new, 1);
    }

    static Stream<Arguments> text() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                "buffer=10000&text=a&chars=10000&piece=500", "buffer=10000&text=a&chars=12287&piece=500",
                "buffer=10000&text=a&chars=12288&piece=500", "buffer=12289&text=a&chars=16000&piece=500",
                "buffer=12289&text=a&chars=16384&piece=500",
                // Small buffers, in prints short enough for Jetty's writer to aggregate (4 KiB taken for 1,000).
                "buffer=1000&text=a&chars=999", "buffer=1000&text=a&chars=1200&piece=100",
                "buffer=1000&text=a&chars=4095&piece=100", "buffer=1000&text=a&chars=4096&piece=100",
                "buffer=300&text=a&chars=200&piece=100", "buffer=2000&text=a&chars=1999")
                .map(query -> Arguments.of(container, query)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("text")
    void aStatusOrHeaderSetAfterTextIsIgnoredOnTheMissAndTheHitExactlyWhenTheContainerIgnoresIt(
            Container container, String query) {
        LateStatusAsAlone.check(container, query, StatusSetAfterTheWritersTextOutgrewTheBufferTest.TextServlet::new, 1);
    }
}
