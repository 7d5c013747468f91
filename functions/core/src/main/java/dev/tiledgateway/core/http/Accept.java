package dev.tiledgateway.core.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code Accept} and {@code Accept-Encoding} values (RFC 9110 §12.4–12.5): comma-separated items, each with an
 * optional {@code q} weight from 0 to 1 (default 1; 0 means "not this"). Media ranges may be {@code *}{@code /*} or
 * {@code type/*}; the weight a media type gets is that of the most specific range matching it. Other parameters are
 * dropped; a weight that is not a number in [0, 1] counts as 1, as most servers read it, so a sloppy header never
 * costs a client its answer.
 */
public final class Accept {

    /** One item: its value lower-cased and without parameters, its weight, and its position in the header. */
    public record Item(String value, double q, int position) {

        /** Whether this is a media range ({@code *}{@code /*} or {@code type/*}) rather than one media type. */
        public boolean isRange() { return value.endsWith("/*") || value.equals("*"); }

        /** Whether this item, read as a media range, covers {@code mediaType}. */
        public boolean matches(String mediaType) {
            String mt = mediaType.toLowerCase(Locale.ROOT);
            if (value.equals("*/*") || value.equals("*")) return true;
            if (value.endsWith("/*")) return mt.startsWith(value.substring(0, value.length() - 1));
            return value.equals(mt);
        }

        /** 2 for a full media type, 1 for {@code type/*}, 0 for {@code *}{@code /*}. */
        int specificity() { return value.equals("*/*") || value.equals("*") ? 0 : value.endsWith("/*") ? 1 : 2; }
    }

    private Accept() {}

    /** The items of a header value, in header order; empty items are skipped. */
    public static List<Item> parse(String header) {
        List<Item> items = new ArrayList<>();
        if (header == null) return items;
        for (String part : header.split(",")) {
            String[] pieces = part.split(";");
            String value = pieces[0].strip().toLowerCase(Locale.ROOT);
            if (value.isEmpty()) continue;
            double q = 1;
            for (int i = 1; i < pieces.length; i++) {
                String p = pieces[i].strip();
                int eq = p.indexOf('=');
                if (eq < 0 || !p.substring(0, eq).strip().equalsIgnoreCase("q")) continue;
                q = weight(p.substring(eq + 1).strip());
            }
            items.add(new Item(value, q, items.size()));
        }
        return items;
    }

    private static double weight(String s) {
        try {
            double q = Double.parseDouble(s);
            return q >= 0 && q <= 1 ? q : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The items the client will take (weight above 0), most preferred first; equal weights keep header order. */
    public static List<Item> byPreference(List<Item> items) {
        List<Item> out = new ArrayList<>();
        for (Item i : items) if (i.q() > 0) out.add(i);
        out.sort(Comparator.comparingDouble(Item::q).reversed().thenComparingInt(Item::position));
        return out;
    }

    /** The weight {@code items} give {@code mediaType}: that of the most specific item covering it, 0 when none does. */
    public static double quality(List<Item> items, String mediaType) {
        Item best = null;
        for (Item i : items) {
            if (!i.matches(mediaType)) continue;
            if (best == null || i.specificity() > best.specificity()) best = i;
        }
        return best == null ? 0 : best.q();
    }
}
