package dev.tiledgateway.formats.zarr;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How interop tests treat a missing tool we did not write: a skip on a developer's machine, a failure in CI. */
final class InteropTools {

    private InteropTools() {}

    static boolean inCi() { return "true".equalsIgnoreCase(System.getenv("CI")); }

    /** Fails under {@code CI=true} (where .ci/run installs the tool), else skips with the reason. */
    static void require(boolean present, String missing) {
        if (present) return;
        if (inCi()) fail(missing + " (CI=true: .ci/run must install it; an interop check that skips in CI proves nothing)");
        assumeTrue(false, missing);
    }
}
