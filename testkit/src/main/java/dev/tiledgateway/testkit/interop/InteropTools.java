package dev.tiledgateway.testkit.interop;

import org.junit.jupiter.api.Assumptions;

/** What an {@link Interop} test does when the tool it needs is missing: fail in CI, skip with the reason elsewhere. */
public final class InteropTools {

    private InteropTools() {}

    /** Whether this run is CI's ({@code CI=true}, as CI services and {@code .ci/run} set it). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Stops the current test because a tool is missing: in CI it fails ({@code .ci/run} installs every tool, so a
     * missing one is a broken run, not a reason to prove less), elsewhere it is skipped with {@code why} as the reason.
     */
    public static void unavailable(String why) {
        if (inCi()) throw new AssertionError("interop tool missing in CI: " + why);
        Assumptions.abort("interop tool missing: " + why);
    }
}
