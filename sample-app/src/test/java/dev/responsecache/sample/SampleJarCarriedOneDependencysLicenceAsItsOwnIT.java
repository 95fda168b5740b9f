package dev.responsecache.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

/**
 * The shaded {@code sample-app.jar} kept one file of each name from its dependencies: Jackson's Apache licence as
 * its {@code META-INF/LICENSE}, a logging library's MIT licence as {@code LICENSE.txt}, Jersey's EPL as
 * {@code LICENSE.md}, and the other dependencies' files lost. (The caching proxy's jar is checked entry by entry in
 * its own module.) Run by failsafe, after {@code package} built the jar and the war.
 */
class SampleJarCarriedOneDependencysLicenceAsItsOwnIT {

    @Test
    void jarsLicenceIsTheProjectsAndEachDependencysFilesAreKeptUnderItsName() throws IOException {
        Path built = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
        try (JarFile jar = new JarFile(built.toFile())) {
            Set<String> names = jar.stream().map(ZipEntry::getName).collect(Collectors.toSet());
            assertEquals(Files.readString(Path.of("..", "LICENSE")), text(jar, "META-INF/LICENSE"));
            for (String stray : new String[] {"META-INF/LICENSE.txt", "META-INF/LICENSE.md", "META-INF/NOTICE",
                    "META-INF/NOTICE.md", "META-INF/NOTICE.txt"}) {
                assertTrue(!names.contains(stray), stray + " is a dependency's, not the jar's");
            }
            assertTrue(names.stream().anyMatch(name -> name.matches(
                    "META-INF/licenses/jersey-server-[^/]+/META-INF/LICENSE.md")), "Jersey's licence kept");
            assertTrue(names.stream().anyMatch(name -> name.matches(
                    "META-INF/licenses/jackson-databind-[^/]+/META-INF/NOTICE")), "Jackson's notice kept");
            String thirdParty = text(jar, "META-INF/THIRD-PARTY.txt");
            assertTrue(thirdParty.contains("(org.glassfish.jersey.core:jersey-server:"), thirdParty);
            assertTrue(thirdParty.contains("(org.eclipse.jetty:jetty-server:"), thirdParty);
        }
    }

    private static String text(JarFile jar, String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        assertNotNull(entry, name + " in the jar");
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
