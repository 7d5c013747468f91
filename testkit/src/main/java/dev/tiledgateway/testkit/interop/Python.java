package dev.tiledgateway.testkit.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one way tests run a Python check script: which interpreter (the variable {@code INTEROP_PYTHON}, else
 * {@code python3} on the PATH; a check whose tool lives in another interpreter names its own variable, as the
 * zarr-python check does with {@code ZARR_PYTHON} and the template check with {@code CFN_LINT_PYTHON}), whether it
 * imports what a check needs ({@link #require}), and the run itself.
 */
public final class Python {

    private static final long TIMEOUT_SECONDS = 300;
    private static final Map<String, String> PROBES = new ConcurrentHashMap<>();
    private static final String PROBE = """
            import importlib, sys
            missing = []
            for name in sys.argv[1:]:
                try:
                    importlib.import_module(name)
                except Exception as e:
                    missing.append(f"{name} ({type(e).__name__}: {e})")
            print("; ".join(missing))
            """;

    private final String command;
    private final String variable;

    private Python(String command, String variable) {
        this.command = command;
        this.variable = variable;
    }

    /** The interpreter named by {@code INTEROP_PYTHON}, else {@code python3}. */
    public static Python standard() {
        return fromEnv("INTEROP_PYTHON");
    }

    /** The interpreter named by {@code variable}, else {@code python3} on the PATH. */
    public static Python fromEnv(String variable) {
        String named = System.getenv(variable);
        return new Python(named != null && !named.isBlank() ? named : "python3", variable);
    }

    public String command() { return command; }

    /**
     * Checks that the interpreter starts and imports every module named; when it does not, the test fails in CI and is
     * skipped elsewhere ({@link InteropTools#unavailable}), naming what is missing and how to install it.
     */
    public Python require(String... modules) {
        String missing = PROBES.computeIfAbsent(command + "\0" + String.join(",", modules), k -> probe(modules));
        if (!missing.isEmpty()) {
            InteropTools.unavailable(command + " (set " + variable + " to choose another) cannot import: " + missing
                    + ". Install with `" + command + " -m pip install " + String.join(" ", modules) + "`; .ci/run installs every interop tool");
        }
        return this;
    }

    private String probe(String... modules) {
        try {
            Path dir = Files.createTempDirectory("python-probe");
            try {
                Result r = run(dir, PROBE, modules);
                if (r.exit() != 0) return "nothing (it failed: " + r.output().strip() + ")";
                return r.output().strip();
            } finally {
                Files.deleteIfExists(dir.resolve("check.py"));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            return "nothing (" + e.getMessage() + ")";
        }
    }

    /** What a script printed (stdout and stderr together) and its exit status; -1 when it could not run or timed out. */
    public record Result(int exit, String output) {}

    /** Runs {@code script} (saved as {@code check.py} in {@code dir}, which is its working folder) with {@code args}. */
    public Result run(Path dir, String script, String... args) throws IOException {
        Path file = dir.resolve("check.py");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of(command, file.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("python-check", ".out");
        try {
            Process p;
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().remove("PYTHONOPTIMIZE"); // the checks are assert statements: -O would drop every one
                p = pb.start();
            } catch (IOException e) {
                return new Result(-1, command + " cannot be started: " + e.getMessage());
            }
            try {
                boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (!done) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                String out = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
                return done ? new Result(p.exitValue(), out) : new Result(-1, out + "\n(timed out after " + TIMEOUT_SECONDS + " s)");
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                return new Result(-1, "interrupted");
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Runs the script and fails the test, with everything it printed, unless it exits with 0. Returns its output. */
    public String check(Path dir, String script, String... args) throws IOException {
        Result r = run(dir, script, args);
        if (r.exit() != 0) throw new AssertionError(command + " check failed (exit " + r.exit() + "):\n" + r.output());
        return r.output();
    }
}
