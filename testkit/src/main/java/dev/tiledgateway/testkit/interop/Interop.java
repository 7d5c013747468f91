package dev.tiledgateway.testkit.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test (or every test of a class) whose verdict comes from a tool we did not write, run while the test runs:
 * pyarrow, pandas, xarray, zstandard, tifffile, zarr-python, cfn-lint, the JDK's ImageIO. Such tests are tagged
 * {@code interop} and their outcomes recorded under {@code target/interop-tests/}, which {@code .ci/run} counts: in CI
 * every one of them must run, none may be skipped. A missing tool is reported through {@link InteropTools#unavailable}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Interop.TAG)
@ExtendWith(InteropRecorder.class)
public @interface Interop {
    String TAG = "interop";
}
