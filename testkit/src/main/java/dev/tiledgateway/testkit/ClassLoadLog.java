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

    /**
     * Fails unless {@code main} printed {@code after} and then {@code before}, the class {@code reference} was loaded
     * before {@code after} (the log was read), and the class {@code target} was loaded between the two lines.
     */
    public static void assertLoadedBetween(String log, String reference, String after, String target, String before) {
        int from = log.indexOf(after), to = log.indexOf(before);
        if (from <= 0 || to <= from) throw new AssertionError("'" + after + "' then '" + before + "' expected in:\n" + log);
        int ref = loaded(log, reference);
        if (ref < 0 || ref > from) throw new AssertionError("the class log was not read: " + reference + " not loaded before '" + after + "'");
        int at = loaded(log, target);
        if (at < from) throw new AssertionError(target + " was loaded before '" + after + "'" + (at < 0 ? " (never)" : ""));
        if (at > to) throw new AssertionError(target + " was not loaded by '" + before + "'");
    }
}
