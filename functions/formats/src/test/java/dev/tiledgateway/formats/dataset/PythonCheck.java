package dev.tiledgateway.formats.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python check script: the interpreter named by TABLE_PYTHON (as the table tests use it), else python3 on the
 * PATH. Tests that use it are skipped where that Python lacks the modules they need.
 */
public final class PythonCheck {

    static final String PYTHON = System.getenv().getOrDefault("TABLE_PYTHON", "python3");

    public record Result(int exit, String output) {}

    private PythonCheck() {}

    /** Whether the interpreter exists and imports every module named. */
    public static boolean has(String... modules) {
        try {
            return run(Files.createTempDirectory("python-probe"), "import " + String.join(", ", modules)).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@code script} with {@code args} in {@code dir}; output is stdout and stderr together. */
    public static Result run(Path dir, String script, String... args) throws IOException {
        Path file = dir.resolve("check.py");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of(PYTHON, file.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + "\n(timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
