package dev.tiledgateway.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What a class's {@code main} prints, with every class it loads ({@code -verbose:class}), run in a JVM of its own on
 * this JVM's class path: for tests of what a start loads, in a JVM that has loaded nothing yet.
 */
public final class ClassLoadLog {

    private ClassLoadLog() {}

    /** The output of {@code main}'s run, class-loading lines and its own lines interleaved in order; it must exit 0. */
    public static String of(Class<?> main) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "-verbose:class", main.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError(main.getName() + " exited with " + p.exitValue() + ":\n" + out);
        return out;
    }

    /** Where the class {@code name} was loaded in {@code log}, or -1. */
    public static int loaded(String log, String name) {
        return log.indexOf(" " + name + " ");
    }
}
