package dev.tiledgateway.core.catalog;

import java.util.Comparator;

/**
 * Storage-event sequencers (S3's {@code sequencer}: a hex string whose value orders the events of one
 * object key). Values compare by number, not by text: S3 documents comparing them after zero-padding
 * the shorter one, so both are padded to one fixed width here and then compare as strings, which is how
 * catalogs can order them inside a conditional write.
 */
public final class Sequencers {

    /** Width of a normalized sequencer; S3's are 16 to 18 hex digits today. */
    public static final int WIDTH = 40;

    /** The lowest sequencer: backfills use it, so any real event of the same object wins over them. */
    public static final String LOWEST = "0";

    public static final Comparator<String> ORDER = Comparator.comparing(Sequencers::normalize);

    private Sequencers() {}

    /** Upper-case hex left-padded with '0' to {@link #WIDTH} digits. */
    public static String normalize(String sequencer) {
        if (sequencer == null) throw new IllegalArgumentException("a sequencer is required");
        String s = sequencer.strip();
        if (s.isEmpty() || s.length() > WIDTH) throw new IllegalArgumentException("a sequencer has 1.." + WIDTH + " hex digits: '" + sequencer + "'");
        StringBuilder b = new StringBuilder(WIDTH);
        for (int i = s.length(); i < WIDTH; i++) b.append('0');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.digit(c, 16) < 0) throw new IllegalArgumentException("a sequencer is hexadecimal: '" + sequencer + "'");
            b.append(Character.toUpperCase(c));
        }
        return b.toString();
    }

    /** Negative, zero or positive as {@code a} orders before, with or after {@code b}. */
    public static int compare(String a, String b) { return normalize(a).compareTo(normalize(b)); }
}
