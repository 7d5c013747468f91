package dev.tiledgateway.core.array;

import dev.tiledgateway.core.error.TiledException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A numpy-style selection as Tiled sends it in {@code slice=}: one part per dimension, each an
 * index ({@code 3}, {@code -1}) or a range ({@code a:b:c}, any part optional). Missing trailing
 * dimensions select everything.
 */
public record NDSlice(List<Part> parts) {

    private static final Pattern SYNTAX =
            Pattern.compile("^(?:(?:-?\\d+)?:){0,2}(?:-?\\d+)?(?:,(?:(?:-?\\d+)?:){0,2}(?:-?\\d+)?)*$");

    public static final NDSlice ALL = new NDSlice(List.of());

    /** One part of a selection: an index, or a range with optional start/stop/step. */
    public sealed interface Part permits Index, Range {}

    public record Index(long index) implements Part {}

    public record Range(Long start, Long stop, Long step) implements Part {}

    public NDSlice {
        parts = List.copyOf(parts);
    }

    /** Parses Tiled's {@code slice} parameter; empty or absent means the whole array. 400 on bad syntax. */
    public static NDSlice parse(String s) {
        if (s == null || s.isEmpty()) return ALL;
        if (s.length() > 4096 || !SYNTAX.matcher(s).matches())
            throw TiledException.unprocessable("Malformed slice '" + abbreviate(s) + "': expected numpy-style parts like 0:10:2 separated by commas");
        List<Part> parts = new ArrayList<>();
        for (String p : s.split(",", -1)) {
            try {
                if (p.isEmpty()) {
                    parts.add(new Range(null, null, null));
                } else if (p.indexOf(':') < 0) {
                    parts.add(new Index(Long.parseLong(p)));
                } else {
                    String[] f = p.split(":", -1);
                    Long step = f.length > 2 ? num(f[2]) : null;
                    if (step != null && step == 0) throw TiledException.unprocessable("Slice step cannot be zero");
                    parts.add(new Range(num(f[0]), num(f[1]), step));
                }
            } catch (NumberFormatException e) {
                throw TiledException.unprocessable("Slice number out of range in '" + abbreviate(s) + "'");
            }
        }
        return new NDSlice(parts);
    }

    private static Long num(String s) { return s.isEmpty() ? null : Long.parseLong(s); }

    private static String abbreviate(String s) { return s.length() > 80 ? s.substring(0, 80) + "..." : s; }

    /**
     * Resolves this selection against {@code shape} as numpy does: negative indices count from the end,
     * ranges are clamped, an index out of bounds is a 400.
     */
    public Selection resolve(long[] shape) {
        if (parts.size() > shape.length)
            throw TiledException.badRequest("Slice has " + parts.size() + " dimensions but the array has " + shape.length);
        Selection.Dim[] dims = new Selection.Dim[shape.length];
        for (int d = 0; d < shape.length; d++) {
            long n = shape[d];
            Part p = d < parts.size() ? parts.get(d) : new Range(null, null, null);
            if (p instanceof Index ix) {
                long i = ix.index() < 0 ? ix.index() + n : ix.index();
                if (i < 0 || i >= n)
                    throw TiledException.badRequest("Index " + ix.index() + " is out of bounds for axis " + d + " with size " + n);
                dims[d] = new Selection.Dim(i, 1, 1, true);
            } else {
                Range r = (Range) p;
                long step = r.step() == null ? 1 : r.step();
                long start, stop;
                if (step > 0) {
                    start = r.start() == null ? 0 : clamp(r.start() < 0 ? r.start() + n : r.start(), 0, n);
                    stop = r.stop() == null ? n : clamp(r.stop() < 0 ? r.stop() + n : r.stop(), 0, n);
                } else {
                    start = r.start() == null ? n - 1 : clamp(r.start() < 0 ? r.start() + n : r.start(), -1, n - 1);
                    stop = r.stop() == null ? -1 : clamp(r.stop() < 0 ? r.stop() + n : r.stop(), -1, n - 1);
                }
                // Distances are at most n + 1, so they cannot overflow; steps can be any long. -step is read
                // unsigned, which is |step| even for Long.MIN_VALUE.
                long count;
                if (step > 0) count = stop > start ? (stop - start - 1) / step + 1 : 0;
                else count = start > stop ? Long.divideUnsigned(start - stop - 1, -step) + 1 : 0;
                // One element or none: the step no longer matters, and a huge one must not reach index arithmetic.
                if (count <= 1) step = step > 0 ? 1 : -1;
                dims[d] = new Selection.Dim(count == 0 ? 0 : start, step, count, false);
            }
        }
        return new Selection(dims);
    }

    private static long clamp(long v, long lo, long hi) { return Math.max(lo, Math.min(hi, v)); }
}
