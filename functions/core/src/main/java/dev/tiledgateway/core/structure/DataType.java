package dev.tiledgateway.core.structure;

import java.util.List;

/**
 * A numpy-style element type as Tiled describes it: a builtin (kind letter, width, endianness)
 * or a packed record of named fields.
 */
public sealed interface DataType permits DataType.Builtin, DataType.Struct {

    /** Bytes per element. */
    int itemsize();

    enum Endianness {
        BIG("big"), LITTLE("little"), NOT_APPLICABLE("not_applicable");

        private final String wire;

        Endianness(String wire) { this.wire = wire; }

        public String wire() { return wire; }

        public static Endianness fromWire(String s) {
            for (Endianness e : values()) if (e.wire.equals(s)) return e;
            throw new IllegalArgumentException("unknown endianness: " + s);
        }
    }

    /**
     * A builtin numpy dtype. {@code kind} is numpy's kind letter (b, i, u, f, c, m, M, S, U, V);
     * {@code dtUnits} is set only for m/M, e.g. "[ns]".
     */
    record Builtin(Endianness endianness, char kind, int itemsize, String dtUnits) implements DataType {
        public Builtin {
            if ("biufcmMSUV".indexOf(kind) < 0) throw new IllegalArgumentException("unsupported dtype kind: " + kind);
            if (itemsize <= 0) throw new IllegalArgumentException("itemsize must be positive");
            if (kind == 'U' && itemsize % 4 != 0) throw new IllegalArgumentException("U itemsize must be a multiple of 4");
            if ((kind == 'm' || kind == 'M') != (dtUnits != null))
                throw new IllegalArgumentException("dt_units is required for m/M and only for them");
        }

        /** numpy's string form, e.g. {@code <f8}, {@code |b1}, {@code <U7}, {@code <M8[ns]}. */
        public String numpyString() {
            char e = switch (endianness) { case BIG -> '>'; case LITTLE -> '<'; case NOT_APPLICABLE -> '|'; };
            int n = kind == 'U' ? itemsize / 4 : itemsize;
            return "" + e + kind + n + (dtUnits == null ? "" : dtUnits);
        }

        /** Parses numpy's string form ({@code <f8}, {@code |u1}, {@code >M8[ms]}, {@code bool} is not accepted). */
        public static Builtin parse(String s) {
            if (s.length() < 3) throw new IllegalArgumentException("not a numpy dtype string: " + s);
            Endianness e = switch (s.charAt(0)) {
                case '<' -> Endianness.LITTLE;
                case '>' -> Endianness.BIG;
                case '|', '=' -> Endianness.NOT_APPLICABLE;
                default -> throw new IllegalArgumentException("not a numpy dtype string: " + s);
            };
            char kind = s.charAt(1);
            int bracket = s.indexOf('[');
            String digits = bracket < 0 ? s.substring(2) : s.substring(2, bracket);
            String units = bracket < 0 ? null : s.substring(bracket);
            int n;
            try {
                n = Integer.parseInt(digits);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("not a numpy dtype string: " + s);
            }
            int itemsize = kind == 'U' ? n * 4 : n;
            if (itemsize == 1 || kind == 'b' || kind == 'S' || kind == 'V') e = Endianness.NOT_APPLICABLE;
            return new Builtin(e, kind, itemsize, units);
        }
    }

    /** One field of a record dtype; {@code shape} is null for scalar fields. */
    record Field(String name, DataType dtype, List<Integer> shape) {
        public int size() {
            int n = dtype.itemsize();
            if (shape != null) for (int d : shape) n *= d;
            return n;
        }
    }

    /** A packed record dtype (numpy default packing: no alignment padding). */
    record Struct(int itemsize, List<Field> fields) implements DataType {
        public Struct {
            fields = List.copyOf(fields);
        }
    }
}
