package dev.responsecache.servlet;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The library lives in a web application's class loader, the container's request and stream classes in the server's.
 * What it caches per container class ({@code ClassValue}) is kept by that class for as long as the server runs: a value
 * of one of the library's own classes (Jetty's reflected methods in a record, how a stream prints as an enum) kept
 * the application's class loader, and every class it loaded, from being collected when the application was redeployed.
 */
class ContainerClassCachesLetTheApplicationGoTest {

    /** Loads the library's classes itself before asking its parent, as a web application's class loader does. */
    static final class ApplicationLoader extends URLClassLoader {
        ApplicationLoader(URL classes, ClassLoader parent) {
            super(new URL[] {classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("dev.responsecache.")) {
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded != null) {
                        return loaded;
                    }
                    try {
                        return findClass(name);
                    } catch (ClassNotFoundException notTheLibrarys) {
                        // A test class: the parent's.
                    }
                }
                return super.loadClass(name, resolve);
            }
        }
    }

    /** Asks the application's copies of the library's classes about the container's request and stream. */
    static final class ProbeServlet extends HttpServlet {
        volatile Method jettyOutput;
        volatile Method streamPrint;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                jettyOutput.invoke(null, request);
                streamPrint.invoke(null, response.getOutputStream());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            response.getOutputStream().write('x');
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theApplicationsClassLoaderIsCollectedOnceTheApplicationIsGone(Container container) throws Exception {
        ProbeServlet probe = new ProbeServlet();
        try (Container.Running app = container.start(new ServletApp().servlet("probe", probe, "/probe"))) {
            WeakReference<ClassLoader> application = probeFromAnApplication(app, probe);
            Eventually.until(() -> {
                System.gc();
                return application.get() == null;
            }, Duration.ofSeconds(30), () -> "the application's class loader is still held");
        }
    }

    private static WeakReference<ClassLoader> probeFromAnApplication(Container.Running app, ProbeServlet probe)
            throws Exception {
        URL classes = JettyOutput.class.getProtectionDomain().getCodeSource().getLocation();
        try (ApplicationLoader loader = new ApplicationLoader(classes, ProbeServlet.class.getClassLoader())) {
            Method jettyOutput = loader.loadClass(JettyOutput.class.getName())
                    .getDeclaredMethod("of", ServletRequest.class);
            Method streamPrint = loader.loadClass(StreamPrint.class.getName())
                    .getDeclaredMethod("of", ServletOutputStream.class);
            jettyOutput.setAccessible(true);
            streamPrint.setAccessible(true);
            probe.jettyOutput = jettyOutput;
            probe.streamPrint = streamPrint;
            if (app.get("/probe").statusCode() != 200) {
                throw new IllegalStateException("the probe failed");
            }
            probe.jettyOutput = null;
            probe.streamPrint = null;
            return new WeakReference<>(loader);
        }
    }
}
