package dev.tiledgateway.testkit.interop;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Records each {@link Interop} test's outcome as one file under {@code target/interop-tests/} (the module's, as
 * Surefire runs in the module's folder; {@code -Dinterop.report.dir} moves it): one line of
 * {@code outcome<TAB>class<TAB>test<TAB>reason}, outcome being passed, failed, skipped or disabled. Surefire's own
 * reports do not carry JUnit tags, hence this record.
 */
public final class InteropRecorder implements TestWatcher {

    static Path reportDir() {
        return Path.of(System.getProperty("interop.report.dir", "target/interop-tests"));
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "passed", "");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "failed", String.valueOf(cause.getMessage()));
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, "skipped", String.valueOf(cause.getMessage()));
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, "disabled", reason.orElse("@Disabled"));
    }

    private static void record(ExtensionContext context, String outcome, String reason) {
        String cls = context.getRequiredTestClass().getName();
        String test = context.getTestMethod().map(m -> m.getName()).orElse("?")
                + (context.getDisplayName().startsWith("[") ? " " + context.getDisplayName() : "");
        String line = String.join("\t", outcome, cls, oneLine(test), oneLine(reason)) + "\n";
        try {
            Path dir = reportDir();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(fileName(context.getUniqueId())), line, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the interop test's outcome", e);
        }
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("[\\t\\r\\n]+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    /** One file per test invocation: its unique id, hashed (ids hold characters no file name may). */
    private static String fileName(String uniqueId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(uniqueId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 12) + ".tsv";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
