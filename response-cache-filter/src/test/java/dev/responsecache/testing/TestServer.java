package dev.responsecache.testing;

import jakarta.servlet.Filter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

import jakarta.servlet.DispatcherType;

/** A real Jetty server on an ephemeral port running a Jersey application (and optionally servlet filters). */
public final class TestServer implements AutoCloseable {

    private final Server server;
    private final ServletContextHandler context;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(ServletContextHandler context) {
        this.server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        this.context = context;
        server.setHandler(context);
    }

    /** Jersey serving {@code app} under {@code /api}. */
    public static TestServer jersey(ResourceConfig app) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder jersey = new ServletHolder(new ServletContainer(app));
        jersey.setAsyncSupported(true);
        context.addServlet(jersey, "/api/*");
        return new TestServer(context);
    }

    /** An empty servlet context, for servlet-filter tests that add their own servlets. */
    public static TestServer servlets() {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        return new TestServer(context);
    }

    /** Any servlet context, for example a {@code WebAppContext} that reads a real {@code web.xml}. */
    public static TestServer of(ServletContextHandler context) {
        return new TestServer(context);
    }

    public ServletContextHandler context() {
        return context;
    }

    public TestServer filter(Filter filter, String pathSpec) {
        context.addFilter(new FilterHolder(filter), pathSpec, EnumSet.of(DispatcherType.REQUEST));
        return this;
    }

    /** Also speaks HTTP/2 without TLS (h2c, by prior knowledge or upgrade) on the same port; call before start. */
    public TestServer http2Cleartext() {
        ((ServerConnector) server.getConnectors()[0]).addConnectionFactory(new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        return this;
    }

    public TestServer start() {
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
        return this;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60));
    }

    public HttpResponse<byte[]> get(String pathAndQuery, String... headers) {
        HttpRequest.Builder request = request(pathAndQuery).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public HttpResponse<String> getText(String pathAndQuery, String... headers) {
        HttpRequest.Builder request = request(pathAndQuery).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
