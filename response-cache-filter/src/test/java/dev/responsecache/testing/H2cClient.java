package dev.responsecache.testing;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;

/**
 * Jetty's HTTP/2 client over cleartext (h2c, prior knowledge), frame by frame: a request's content goes in DATA frames
 * and no {@code Content-Length} is sent unless the caller adds one, as HTTP/2 allows.
 */
public final class H2cClient implements AutoCloseable {

    /** A response's status, headers and body as text. */
    public record Response(int status, HttpFields headers, String body) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final HTTP2Client client = new HTTP2Client();
    private final Session session;

    public H2cClient(int port) {
        try {
            client.start();
            session = client.connect(new InetSocketAddress("127.0.0.1", port), new Session.Listener() {
            }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code method path} with {@code body} (null: none, the HEADERS frame ends the stream) in one DATA frame. */
    public Response send(String method, int port, String path, String body, String... headers) {
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < headers.length; i += 2) {
            fields.add(headers[i], headers[i + 1]);
        }
        MetaData.Request request = new MetaData.Request(method, HttpURI.from("http://127.0.0.1:" + port + path),
                HttpVersion.HTTP_2, fields);
        CompletableFuture<Response> answer = new CompletableFuture<>();
        StringBuilder received = new StringBuilder();
        MetaData.Response[] head = new MetaData.Response[1];
        Stream.Listener listener = new Stream.Listener() {
            @Override
            public void onHeaders(Stream stream, HeadersFrame frame) {
                if (frame.getMetaData() instanceof MetaData.Response response) {
                    head[0] = response;
                }
                if (frame.isEndStream()) {
                    // A trailing HEADERS frame (trailers) ends the stream after the DATA frames: keep what came.
                    answer.complete(new Response(head[0].getStatus(), head[0].getHttpFields(), received.toString()));
                } else {
                    stream.demand();
                }
            }

            @Override
            public void onDataAvailable(Stream stream) {
                Stream.Data data = stream.readData();
                if (data == null) {
                    stream.demand();
                    return;
                }
                received.append(StandardCharsets.UTF_8.decode(data.frame().getByteBuffer()));
                boolean last = data.frame().isEndStream();
                data.release();
                if (last) {
                    answer.complete(new Response(head[0].getStatus(), head[0].getHttpFields(), received.toString()));
                } else {
                    stream.demand();
                }
            }

            @Override
            public void onReset(Stream stream, org.eclipse.jetty.http2.frames.ResetFrame frame,
                    org.eclipse.jetty.util.Callback callback) {
                answer.completeExceptionally(new IllegalStateException("reset: " + frame));
                callback.succeeded();
            }
        };
        try {
            Stream stream = session.newStream(new HeadersFrame(request, null, body == null), listener)
                    .get(60, TimeUnit.SECONDS);
            CompletableFuture<Stream> content = body == null ? CompletableFuture.completedFuture(stream)
                    : stream.data(new DataFrame(stream.getId(),
                            ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), true));
            // A server may answer before it reads the content and then reset the stream (RFC 9113, 8.1), failing
            // the content's write: the answer is what counts. The write's failure is told only when none came.
            try {
                return answer.get(60, TimeUnit.SECONDS);
            } catch (Exception noAnswer) {
                content.handle((sent, failure) -> {
                    if (failure != null) {
                        noAnswer.addSuppressed(failure);
                    }
                    return sent;
                });
                throw noAnswer;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
