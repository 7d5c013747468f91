package dev.tiledgateway.bench;

import java.util.Arrays;

/** Order statistics over nanosecond samples. */
public final class Stats {

    private Stats() {}

    /** The median; the mean of the middle two for an even count. NaN when there are no samples. */
    public static double median(long[] samples) {
        if (samples.length == 0) return Double.NaN;
        long[] s = sorted(samples);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. NaN when there are no samples. */
    public static double percentile(long[] samples, double p) {
        if (samples.length == 0) return Double.NaN;
        long[] s = sorted(samples);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    public static double millis(double nanos) { return nanos / 1_000_000.0; }

    private static long[] sorted(long[] samples) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return s;
    }
}
