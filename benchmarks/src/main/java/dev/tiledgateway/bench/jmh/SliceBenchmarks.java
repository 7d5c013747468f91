package dev.tiledgateway.bench.jmh;

import dev.tiledgateway.core.array.NDSlice;
import dev.tiledgateway.core.array.Selection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Parsing Tiled's {@code slice=} parameter and resolving it against an array shape. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SliceBenchmarks {

    private final long[] shape = {10_000, 10_000};
    private final long[] shape5 = {50, 50, 50, 50, 50};
    private String simple = "0:1250,:";
    private String mixed = "-10:2:-3,7,::2,5:,:-1";

    @Benchmark
    public Selection parseResolve2d() { return NDSlice.parse(simple).resolve(shape); }

    @Benchmark
    public Selection parseResolveMixed5d() { return NDSlice.parse(mixed).resolve(shape5); }
}
