package dev.tiledgateway.infra;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.testkit.interop.Interop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jars the template deploys, as the modules before this one built them: each function's CodeUri names a jar that
 * exists, fits Lambda's limits on a deployment package (50 MB zipped for a direct upload, 250 MB unzipped) with the
 * sizes the README states, holds its handler as a Lambda handler class, carries natives only for the template's
 * architecture, and is configured by the template for every variable its code reads, or the README documents the
 * default. The authorizer's jar has no formats and no Arrow.
 */
@Interop
class FunctionArtifactsTest {

    /** Lambda's quotas for a .zip deployment package. */
    static final long MAX_ZIPPED = 50L * 1024 * 1024;
    static final long MAX_UNZIPPED = 250L * 1024 * 1024;

    private static final Pattern VARIABLE = Pattern.compile("TILED_GATEWAY_[A-Z0-9_]*[A-Z0-9]");
    private static JsonNode sam;

    @BeforeAll
    static void template() throws IOException {
        sam = Template.sam();
    }

    record Sizes(long zipped, long unzipped) {
        double zippedMb() { return zipped / 1e6; }
        double unzippedMb() { return unzipped / 1e6; }
    }

    static Sizes sizes(Path jar) throws IOException {
        long unzipped = 0;
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) unzipped += e.nextElement().getSize();
        }
        return new Sizes(Files.size(jar), unzipped);
    }

    @Test
    void everyFunctionsJarFitsLambdasLimitsAndTheReadmeSaysHowBig() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String f : Template.FUNCTIONS) {
            Path jar = Template.jar(sam, f);
            assertTrue(Files.isRegularFile(jar), f + "'s CodeUri " + jar + " is not built: run this module with `verify` after the functions' modules");
            Sizes s = sizes(jar);
            System.out.printf("%s: %s %.1f MB zipped, %.1f MB unzipped%n", f, jar.getFileName(), s.zippedMb(), s.unzippedMb());
            assertTrue(s.zipped() < MAX_ZIPPED, f + ": " + s.zipped() + " bytes zipped, over Lambda's 50 MB for a direct upload");
            assertTrue(s.unzipped() < MAX_UNZIPPED, f + ": " + s.unzipped() + " bytes unzipped, over Lambda's 250 MB");
            // The README's row: | `name.jar` | zipped MB | unzipped MB | ... ; within 15% of what was built.
            Matcher m = Pattern.compile("\\| `" + Pattern.quote(jar.getFileName().toString()) + "` \\| ([0-9.]+) MB \\| ([0-9.]+) MB \\|").matcher(readme);
            assertTrue(m.find(), "the README states the size of " + jar.getFileName());
            assertNear(s.zippedMb(), Double.parseDouble(m.group(1)), jar.getFileName() + " zipped");
            assertNear(s.unzippedMb(), Double.parseDouble(m.group(2)), jar.getFileName() + " unzipped");
        }
    }

    private static void assertNear(double actual, double stated, String what) {
        assertTrue(Math.abs(actual - stated) <= 0.15 * actual,
                String.format("the README says %s is %.1f MB; it is %.1f MB: update the README", what, stated, actual));
    }

    @Test
    void eachHandlerIsALambdaHandlerClassInItsOwnJar() throws Exception {
        for (String f : Template.FUNCTIONS) {
            String handler = sam.at("/Resources/" + f + "/Properties/Handler").asText();
            String[] parts = handler.split("::");
            assertEquals(2, parts.length, f + ": Handler is class::method, not " + handler);
            Path jar = Template.jar(sam, f);
            // Only the jar, on the platform's class loader: nothing of this test's class path can stand in for it.
            try (URLClassLoader only = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
                Class<?> c = Class.forName(parts[0], false, only);
                Class<?> stream = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, only);
                Class<?> typed = Class.forName("com.amazonaws.services.lambda.runtime.RequestHandler", false, only);
                assertTrue(stream.isAssignableFrom(c) || typed.isAssignableFrom(c), handler + " implements neither Lambda handler interface");
                assertTrue(Modifier.isPublic(c.getModifiers()) && !Modifier.isAbstract(c.getModifiers()), handler + " must be a public concrete class");
                c.getConstructor(); // Lambda instantiates it with no arguments
                List<Method> named = new ArrayList<>();
                for (Method m : c.getMethods()) if (m.getName().equals(parts[1])) named.add(m);
                assertFalse(named.isEmpty(), f + ": " + c.getName() + " has no public method " + parts[1]);
                // Every class the handler's own code refers to is in the jar (a missing dependency fails here, not at a cold start).
                for (Method m : c.getDeclaredMethods()) m.getParameterTypes();
            }
        }
    }

    @Test
    void theAuthorizerCarriesNoFormatsAndNoArrow() throws IOException {
        try (ZipFile z = new ZipFile(Template.jar(sam, "AuthorizerFunction").toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                for (String banned : List.of("dev/tiledgateway/formats/", "org/apache/arrow/", "dev/hardwood/", "com/github/luben/", "dev/tiledgateway/indexer/", "dev/tiledgateway/api/"))
                    assertFalse(n.startsWith(banned), "the authorizer's jar holds " + n);
            }
        }
    }

    @Test
    void nativeLibrariesAreForTheTemplatesArchitectureOnly() throws IOException {
        JsonNode arch = sam.at("/Globals/Function/Architectures");
        assertEquals("[\"x86_64\"]", arch.toString(), "the jars' natives are chosen for x86_64 (blosc ships no other Linux build)");
        for (String f : Template.FUNCTIONS) {
            List<String> natives = new ArrayList<>();
            try (ZipFile z = new ZipFile(Template.jar(sam, f).toFile())) {
                for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String n = entry.getName();
                    if (!(n.endsWith(".so") || n.endsWith(".dll") || n.endsWith(".dylib") || n.endsWith(".jnilib") || n.endsWith(".a"))) continue;
                    natives.add(n);
                    byte[] head = new byte[20];
                    try (InputStream in = z.getInputStream(entry)) {
                        assertEquals(20, in.readNBytes(head, 0, 20), n);
                    }
                    assertTrue(head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F', n + " is not an ELF (Linux) library");
                    assertEquals(2, head[4], n + " is not 64-bit");
                    assertEquals(62, (head[18] & 0xff) | (head[19] & 0xff) << 8, n + " is not for x86_64 (ELF machine 62)");
                }
            }
            System.out.println(f + " natives: " + natives);
            if (!f.equals("AuthorizerFunction")) {
                for (String lib : List.of("libzstd-jni", "libbloscjni", "libsnappyjava"))
                    assertTrue(natives.stream().anyMatch(n -> n.contains(lib)), f + " lacks " + lib + " for x86_64: " + natives);
            }
        }
    }

    /** The TILED_GATEWAY_ names in the jar's classes: every setting its code can read (and a few that name others). */
    static Set<String> variablesIn(Path jar) throws IOException {
        Set<String> out = new TreeSet<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!entry.getName().endsWith(".class") || !entry.getName().startsWith("dev/tiledgateway/")) continue;
                try (InputStream in = z.getInputStream(entry)) {
                    Matcher m = VARIABLE.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                    while (m.find()) out.add(m.group());
                }
            }
        }
        return out;
    }

    /** The README's table of the functions' settings: name to its default, for those it lists. */
    static Map<String, String> documentedDefaults() throws IOException {
        Map<String, String> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `(TILED_GATEWAY_[A-Z0-9_]+)` \\| ([^|]+) \\| ([^|]*) \\|").matcher(Files.readString(Path.of("..", "README.md")));
        while (m.find()) out.put(m.group(1), m.group(3).strip());
        return out;
    }

    @Test
    void everyVariableTheCodeReadsIsSetByTheTemplateOrHasADocumentedDefault() throws IOException {
        Map<String, String> defaults = documentedDefaults();
        assertFalse(defaults.isEmpty(), "the README has a table of the functions' settings");
        for (String f : Template.FUNCTIONS) {
            Set<String> read = variablesIn(Template.jar(sam, f));
            Set<String> set = Template.environment(sam, f).keySet();
            assertTrue(read.contains("TILED_GATEWAY_TABLE"), f + ": the scan finds the names in the classes: " + read);
            for (String v : read) {
                if (set.contains(v)) continue;
                assertTrue(defaults.containsKey(v) && !defaults.get(v).isEmpty(),
                        f + " reads " + v + ", which the template does not set and the README's table of settings gives no default");
            }
            for (String v : set) {
                if (v.startsWith("TILED_GATEWAY_")) assertTrue(read.contains(v), "the template sets " + v + " for " + f + ", whose code never reads it");
            }
        }
        assertTrue(Template.environment(sam, "IndexerFunction").containsKey("TILED_GATEWAY_DEAD_LETTER_QUEUE_URL"),
                "unreadable objects go to the dead-letter queue, not only to the log");
    }
}
