package dev.responsecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

/**
 * The shaded {@code caching-proxy.jar} kept one file of each name from its dependencies: its
 * {@code META-INF/LICENSE.txt} was a logging library's MIT licence, and no other bundled dependency's licence was
 * in it. Now the jar's own licence is the project's, every bundled artifact is listed with its licence in
 * {@code META-INF/THIRD-PARTY.txt}, and each dependency's own files are under {@code META-INF/licenses/}. Run by
 * failsafe, after {@code package} built the jar.
 */
class ProxyJarCarriedOneDependencysLicenceAsItsOwnIT {

    private static final Pattern LICENCE_FILE_OUTSIDE_ITS_FOLDER =
            Pattern.compile("(?i)^(META-INF/)?[^/]*(licen[cs]e|notice)[^/]*$");
    /**
     * Ehcache's one jar carries its own modules and Terracotta's libraries, each with its Maven metadata; the list
     * names Ehcache, whose licence covers them (Apache 2.0).
     */
    private static final Pattern INSIDE_EHCACHES_JAR =
            Pattern.compile("META-INF/maven/(org\\.ehcache\\.modules|org\\.terracotta|org\\.ehcache/sizeof)/.*");

    @Test
    void jarsLicenceIsTheProjectsAndEveryBundledArtifactsIsListedWithItsOwnFiles() throws IOException {
        Path built = Path.of(System.getProperty("proxy.jar", "target/caching-proxy.jar"));
        try (JarFile jar = new JarFile(built.toFile())) {
            assertEquals(Files.readString(Path.of("..", "LICENSE")), text(jar, "META-INF/LICENSE"));
            List<String> stray = jar.stream().map(ZipEntry::getName)
                    .filter(name -> LICENCE_FILE_OUTSIDE_ITS_FOLDER.matcher(name).matches())
                    .filter(name -> !name.equals("META-INF/LICENSE") && !name.equals("META-INF/THIRD-PARTY.txt"))
                    .toList();
            assertEquals(List.of(), stray, "licence files of a dependency at the jar's own names");

            String thirdParty = text(jar, "META-INF/THIRD-PARTY.txt");
            List<String> bundled = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties"))
                    .filter(name -> !name.startsWith("META-INF/maven/dev.responsecache/"))
                    .filter(name -> !INSIDE_EHCACHES_JAR.matcher(name).matches())
                    .toList();
            assertFalse(bundled.isEmpty(), "the jar bundles its dependencies");
            for (String name : bundled) {
                Properties artifact = new Properties();
                try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
                    artifact.load(in);
                }
                String coordinates = artifact.getProperty("groupId") + ":" + artifact.getProperty("artifactId")
                        + ":" + artifact.getProperty("version");
                assertTrue(thirdParty.contains("(" + coordinates + " "), coordinates + " listed in THIRD-PARTY.txt");
            }
            assertTrue(thirdParty.contains("(org.ehcache:ehcache:"), thirdParty);
            assertTrue(thirdParty.contains("(MIT) SLF4J API Module (org.slf4j:slf4j-api:"), thirdParty);
            assertTrue(jar.stream().map(ZipEntry::getName).anyMatch(name -> name.matches(
                    "META-INF/licenses/slf4j-api-[^/]+/META-INF/LICENSE.txt")), "slf4j's own licence file kept");
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
