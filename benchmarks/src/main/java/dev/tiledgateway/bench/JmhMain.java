package dev.tiledgateway.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Runs the JMH suite with the short settings its classes declare (1 fork, 3 x 1 s measurement after 2 x 1 s warm-up,
 * 6 x 1 s for the handler) unless the usual JMH command-line options say otherwise, and writes the scores for {@link Report}.
 *
 * <pre>java -jar benchmarks.jar [--out FILE] [JMH options, e.g. a benchmark regex, -f 2, -wi 5]</pre>
 * The handler benchmarks need {@code TILED_GATEWAY_DATA_DIR} pointing at demo data ({@code benchmarks/run} makes it).
 */
public final class JmhMain {

    private JmhMain() {}

    public static void main(String[] args) throws Exception {
        Path out = null;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int at = rest.indexOf("--out");
        if (at >= 0) {
            out = Path.of(rest.get(at + 1));
            rest.subList(at, at + 2).clear();
        }
        if (System.getenv("TILED_GATEWAY_DATA_DIR") == null)
            System.err.println("[jmh] TILED_GATEWAY_DATA_DIR is not set: the handler benchmarks will fail (benchmarks/run sets it)");
        CommandLineOptions cli = new CommandLineOptions(rest.toArray(String[]::new));
        OptionsBuilder o = new OptionsBuilder();
        o.parent(cli);
        if (cli.getIncludes().isEmpty()) o.include("dev\\.tiledgateway\\.bench\\.jmh\\..*");
        // Forks inherit this JVM's options; add the ones the native codecs need if this JVM was started without them.
        List<String> own = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String[] missing = ColdStart.FLAGS.stream().filter(f -> !own.contains(f)).toArray(String[]::new);
        if (!cli.getJvmArgsAppend().hasValue() && missing.length > 0) o.jvmArgsAppend(missing);
        String loadStart = Load.now();
        Collection<RunResult> results = new Runner(o.build()).run();

        Results r = new Results();
        r.put("jmh.load_start", loadStart);
        List<String> names = new ArrayList<>();
        for (RunResult rr : results) {
            String full = rr.getParams().getBenchmark();
            String name = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
            names.add(name);
            r.put("jmh." + name + ".score", rr.getPrimaryResult().getScore());
            r.put("jmh." + name + ".error", rr.getPrimaryResult().getScoreError());
            r.put("jmh." + name + ".unit", rr.getPrimaryResult().getScoreUnit());
        }
        r.put("jmh.names", String.join(",", names));
        r.put("jmh.load_end", Load.now());
        if (out != null) r.save(out);
    }
}
