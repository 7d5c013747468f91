package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.error.TiledException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code regex}: the value at {@code key} is a string in which {@code pattern} (Java syntax) finds a match (a
 * search, not a whole-string match), case-insensitively when {@code caseSensitive} is false.
 *
 * <p>Java's matcher backtracks, so a pattern such as {@code (a+)+$} takes exponential time on a value like
 * {@code aaaa…b}. Every match therefore reads its text through a counter of character reads: one match may
 * read {@value #STEPS_PER_MATCH} characters plus {@value #STEPS_PER_CHAR} per character of the value, and the
 * matches inside one {@link #budget()} (a search) {@value #STEPS_PER_SEARCH} together; past either bound the
 * search is refused with a 400 instead of holding its thread.
 */
public record Regex(String key, String pattern, boolean caseSensitive) implements Query {

    /** The longest pattern accepted, in characters. */
    public static final int MAX_PATTERN_CHARS = 1000;
    static final long STEPS_PER_MATCH = 1_000_000;
    static final long STEPS_PER_CHAR = 10_000;
    static final long STEPS_PER_SEARCH = 200_000_000;

    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();
    private static final ThreadLocal<long[]> SEARCH = new ThreadLocal<>();

    /**
     * @throws IllegalArgumentException for a bad key, a pattern longer than {@link #MAX_PATTERN_CHARS}, or one
     *                                  that does not compile (the message says why)
     */
    public Regex {
        Values.path(key);
        if (pattern == null) throw new IllegalArgumentException("a regular expression is needed");
        if (pattern.length() > MAX_PATTERN_CHARS)
            throw new IllegalArgumentException("the regular expression is " + pattern.length() + " characters long; at most " + MAX_PATTERN_CHARS + " are allowed");
        compile(pattern, caseSensitive);
    }

    @Override public String name() { return "regex"; }

    public Pattern compiled() { return compile(pattern, caseSensitive); }

    private static Pattern compile(String pattern, boolean caseSensitive) {
        String cacheKey = (caseSensitive ? "s" : "i") + pattern;
        Pattern p = COMPILED.get(cacheKey);
        if (p != null) return p;
        try {
            p = Pattern.compile(pattern, caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("the regular expression does not compile: " + e.getDescription() + " near index " + e.getIndex());
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("the regular expression is nested too deeply");
        }
        if (COMPILED.size() > 256) COMPILED.clear();
        COMPILED.put(cacheKey, p);
        return p;
    }

    @Override public boolean matches(Node child) {
        JsonNode v = Values.lookup(child, Values.path(key));
        if (v == null || !v.isTextual()) return false;
        String text = v.textValue();
        long limit = STEPS_PER_MATCH + STEPS_PER_CHAR * (long) text.length();
        long[] search = SEARCH.get();
        CountedChars counted = new CountedChars(text, search == null ? limit : Math.min(limit, search[0]));
        try {
            return compiled().matcher(counted).find();
        } catch (CountedChars.Exhausted | StackOverflowError e) {
            throw TiledException.badRequest("The regular expression " + QueryFields.quote(pattern) + " takes too many steps on the value at '" + key
                    + "' of " + child.path().key() + " (it backtracks; avoid nested or overlapping repetition such as (a+)+ or (a|a)*, and a leading .*)");
        } finally {
            if (search != null) search[0] -= counted.reads;
        }
    }

    /**
     * Opens the shared bound of the regex matches this thread makes until it is closed: open it around one search
     * (the default {@link Scan} does; a catalog that evaluates {@link Query#matches} itself should too).
     * Nested opens share the outer bound.
     */
    public static Budget budget() {
        if (SEARCH.get() != null) return () -> { };
        SEARCH.set(new long[] {STEPS_PER_SEARCH});
        return SEARCH::remove;
    }

    /** An open {@link #budget()}; closing it ends the bound. */
    public interface Budget extends AutoCloseable {
        @Override void close();
    }

    /** The text, read through a count of character reads that throws past its limit. */
    private static final class CountedChars implements CharSequence {
        private final String text;
        private final long limit;
        long reads;

        CountedChars(String text, long limit) {
            this.text = text;
            this.limit = limit;
        }

        @Override public char charAt(int index) {
            if (++reads > limit) throw new Exhausted();
            return text.charAt(index);
        }

        @Override public int length() { return text.length(); }

        @Override public CharSequence subSequence(int start, int end) { return text.substring(start, end); }

        @Override public String toString() { return text; }

        /** Thrown out of the matcher when the reads run out (no stack trace: it is a bound, not a bug). */
        static final class Exhausted extends RuntimeException {
            Exhausted() { super(null, null, false, false); }
        }
    }
}
