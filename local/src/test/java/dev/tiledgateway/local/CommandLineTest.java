package dev.tiledgateway.local;

import dev.tiledgateway.indexer.Backfill;
import dev.tiledgateway.indexer.apply.Outcome;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as a user meets it, through {@link Main#execute}: every refusal is one message and a usage hint
 * with status 2; what cannot start (port in use, no such folder, bucket or table, an unreachable endpoint, the state in
 * use) is one line with status 4; register's statuses say what happened. No stack trace in any of them.
 */
class CommandLineTest {

    @TempDir
    Path tmp;

    /** What one command line printed and returned. */
    record Run(int status, String out, String err, Main.Running running) {}

    Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        Main.Result r = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), e);
        return new Run(r.status(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), r.running());
    }

    Run run(String... args) { return run(Map.of(), args); }

    /** Status 2, the message, a usage line for the command, and nothing started. */
    static void refused(Run r, String message, String usage) {
        assertEquals(Main.USAGE, r.status(), r.err());
        assertNull(r.running());
        assertTrue(r.err().startsWith("tiled-gateway: " + message), r.err());
        assertTrue(r.err().contains("\nusage: " + usage), r.err());
        assertTrue(r.err().contains("tiled-gateway --help"), r.err());
        noStackTrace(r.err());
    }

    static void noStackTrace(String err) {
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread") || err.contains("Caused by"), err);
    }

    /** Status 4 and exactly one line that says why. */
    static void unavailable(Run r, String... says) {
        assertEquals(Main.UNAVAILABLE, r.status(), r.err());
        assertNull(r.running());
        String[] lines = r.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("tiled-gateway: "), r.err());
        for (String s : says) assertTrue(last.contains(s), "'" + s + "' in " + r.err());
        noStackTrace(r.err());
    }

    Path folder() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(d.resolve("t.csv"), "a,b\n1,2\n");
        return d;
    }

    // ---- options that do not apply

    @Test
    void aBucketOptionOnServeDirectoryIsRefused() throws Exception {
        String dir = folder().toString();
        refused(run("serve", "directory", dir, "--bucket", "some-bucket"),
                "--bucket does not apply to serve directory PATH (a folder): serve directory takes the bucket in its PATH: serve directory s3://BUCKET/PREFIX",
                "tiled-gateway serve directory PATH");
        refused(run("serve", "directory", "s3://data-bucket/proj", "--table", "catalog", "--bucket", "other"),
                "--bucket does not apply to serve directory s3://BUCKET/PREFIX", "tiled-gateway serve directory s3://BUCKET/PREFIX --table T");
        refused(run("serve", "directory", dir, "--table", "catalog"), "--table does not apply to serve directory PATH (a folder)", "tiled-gateway serve directory PATH");
    }

    @Test
    void dataDirIsRefusedWhereItWouldBeIgnored() throws Exception {
        refused(run("serve", "directory", folder().toString(), "--data-dir", tmp.toString()),
                "--data-dir does not apply to serve directory PATH (a folder)", "tiled-gateway serve directory PATH");
        refused(run("serve", "demo", "--bucket", "demo-bucket", "--data-dir", tmp.toString()),
                "--data-dir does not apply to serve demo on a bucket", "tiled-gateway serve demo --bucket B --table T");
        refused(run("register", folder().toString(), "--data-dir", tmp.toString()), "--data-dir does not apply to register PATH (a folder)",
                "tiled-gateway register PATH");
    }

    @Test
    void indexUploadsWithoutABucketIsRefused() throws Exception {
        refused(run("serve", "demo", "--index-uploads"), "--index-uploads does not apply to serve demo: it keeps registering what is uploaded to a served bucket",
                "tiled-gateway serve demo [--host HOST]");
        refused(run("serve", "directory", folder().toString(), "--index-uploads"), "--index-uploads does not apply to serve directory PATH (a folder)",
                "tiled-gateway serve directory PATH");
        refused(run("register", "proj", "--bucket", "data-bucket", "--table", "catalog", "--index-uploads"), "--index-uploads does not apply to register on a bucket",
                "tiled-gateway register PREFIX --bucket B --table T");
    }

    @Test
    void bucketOptionsWithoutABucketAreRefused() throws Exception {
        String dir = folder().toString();
        refused(run("serve", "directory", dir, "--create-resources"), "--create-resources does not apply to serve directory PATH (a folder)", "tiled-gateway serve directory PATH");
        refused(run("register", dir, "--s3-endpoint", "http://127.0.0.1:5000"), "--s3-endpoint does not apply to register PATH (a folder)", "tiled-gateway register PATH");
        refused(run("serve", "directory", "s3://data-bucket/p", "--table", "catalog", "--results-max-bytes", "1000"),
                "--results-max-bytes does not apply to serve directory s3://BUCKET/PREFIX: it bounds results kept on this machine's disk",
                "tiled-gateway serve directory s3://BUCKET/PREFIX");
        refused(run("register", dir, "--port", "8001"), "--port does not apply to register PATH (a folder): it applies to the serve commands", "tiled-gateway register PATH");
    }

    @Test
    void sizesAndPortsOutOfRangeAreRefused() throws Exception {
        String usage = "tiled-gateway serve demo [--host HOST]";
        refused(run("serve", "demo", "--max-inline-bytes", "-5"), "--max-inline-bytes must be a positive number of bytes, not -5", usage);
        refused(run("serve", "demo", "--max-inline-bytes", "0"), "--max-inline-bytes must be a positive number of bytes, not 0", usage);
        refused(run("serve", "demo", "--max-response-bytes", "-1"), "--max-response-bytes must be a positive number of bytes, not -1", usage);
        refused(run("serve", "demo", "--results-max-bytes", "0"), "--results-max-bytes must be a positive number of bytes, not 0", usage);
        refused(run("serve", "demo", "--max-inline-bytes", "4MB"), "--max-inline-bytes must be a whole number, not '4MB'", usage);
        refused(run("serve", "demo", "--port", "70000"), "--port must be between 1 and 65535 (0 picks a free one), not 70000", usage);
        refused(run("serve", "demo", "--port", "-1"), "--port must be between 1 and 65535 (0 picks a free one), not -1", usage);
        refused(run("serve", "directory", folder().toString(), "--port", "http"), "--port must be a whole number, not 'http'", "tiled-gateway serve directory PATH");
    }

    @Test
    void malformedCommandLinesAreRefused() throws Exception {
        String any = "tiled-gateway serve demo | serve catalog | serve directory PATH | register PATH";
        refused(run("serve", "demo", "--frobnicate"), "unknown option --frobnicate", any);
        refused(run("serve", "demo", "--port", "1", "--port", "2"), "--port is given twice", any);
        refused(run("serve", "demo", "--port"), "--port needs a value", any);
        refused(run("serve"), "serve what? 'serve demo', 'serve catalog' or 'serve directory PATH'", any);
        refused(run("launch"), "unknown command 'launch'", any);
        refused(run(), "expected a command", any);
        refused(run("serve", "directory"), "serve directory needs a PATH", any);
        refused(run("serve", "directory", "a", "b"), "serve directory takes one PATH (unexpected 'b')", any);
        refused(run("serve", "demo", "extra"), "serve demo takes no PATH (unexpected 'extra')", "tiled-gateway serve demo [--host HOST]");
        refused(run("serve", "directory", "s3://data-bucket/proj"), "serve directory s3://BUCKET/PREFIX needs a DynamoDB table for its catalog: --table T",
                "tiled-gateway serve directory s3://BUCKET/PREFIX --table T");
        refused(run("serve", "directory", "s3://Not_A_Bucket/proj", "--table", "catalog"), "'Not_A_Bucket' is not a bucket name",
                "tiled-gateway serve directory s3://BUCKET/PREFIX");
        refused(run("serve", "directory", "s3://data-bucket/a//b", "--table", "catalog"), "the prefix 'a//b' has an empty path segment",
                "tiled-gateway serve directory s3://BUCKET/PREFIX");
        refused(run("serve", "demo", "--bucket", "demo-bucket", "--s3-endpoint", "127.0.0.1:5000"),
                "--s3-endpoint must be an http(s) URL such as http://127.0.0.1:5000, not '127.0.0.1:5000'", "tiled-gateway serve demo --bucket B");
        refused(run("register", "s3://data-bucket/proj", "--table", "catalog"), "register takes a PREFIX of the bucket named by --bucket, not a URL",
                "tiled-gateway register PREFIX --bucket B --table T");
    }

    @Test
    void serveCatalogTakesItsOwnOptionsAndNamesBothBucketAndTable() throws Exception {
        String usage = "tiled-gateway serve catalog [--data-dir DIR]";
        String onBucket = "tiled-gateway serve catalog --bucket B --table T";
        refused(run("serve", "catalog", "--index-uploads"), "--index-uploads does not apply to serve catalog: it keeps registering what is uploaded", usage);
        refused(run("serve", "catalog", "extra"), "serve catalog takes no PATH (unexpected 'extra')", usage);
        refused(run("serve", "catalog", "--bucket", "some-bucket"), "serve catalog on a bucket needs a DynamoDB table for its catalog: --table T", onBucket);
        refused(run("serve", "catalog", "--table", "catalog"), "serve catalog on a bucket needs a bucket: --bucket B (or TILED_GATEWAY_BUCKET)", onBucket);
        refused(run("serve", "catalog", "--bucket", "some-bucket", "--table", "catalog", "--data-dir", tmp.toString()),
                "--data-dir does not apply to serve catalog on a bucket", onBucket);
        refused(run("serve", "catalog", "--bucket", "some-bucket", "--table", "catalog", "--results-max-bytes", "1000"),
                "--results-max-bytes does not apply to serve catalog on a bucket", onBucket);
        Options folder = Options.parse(new String[] {"serve", "catalog", "--data-dir", tmp.toString(), "--public", "--results-max-bytes", "1000"},
                Map.of("TILED_GATEWAY_API_KEY", "a_key_from_the_environment"));
        assertEquals(Options.Where.CATALOG_FOLDER, folder.where);
        assertTrue(folder.publicReads);
        assertEquals("a_key_from_the_environment", folder.apiKey);
        assertEquals(tmp.toAbsolutePath().normalize(), folder.dataDir);
        Options bucket = Options.parse(new String[] {"serve", "catalog"}, Map.of("TILED_GATEWAY_BUCKET", "env-bucket", "TILED_GATEWAY_TABLE", "env-table"));
        assertEquals(Options.Where.CATALOG_BUCKET, bucket.where);
        assertEquals("env-bucket", bucket.bucket);
        assertEquals("env-table", bucket.table);
        assertFalse(bucket.publicReads, "private unless --public");
    }

    @Test
    void environmentSettingsApplyWhereTheyMeanSomethingAndAreLeftAloneElsewhere() throws Exception {
        Options served = Options.parse(new String[] {"serve", "directory", "s3://data-bucket/proj/", "--port", "0"},
                Map.of("TILED_GATEWAY_TABLE", "catalog", "TILED_GATEWAY_BUCKET", "ignored-bucket", "TILED_GATEWAY_INDEX_UPLOADS", "true"));
        assertEquals(Options.Where.DIRECTORY_BUCKET, served.where);
        assertEquals("data-bucket", served.bucket, "the URL names the bucket");
        assertEquals("proj/", served.prefix);
        assertEquals("catalog", served.table);
        assertTrue(served.indexUploads);
        Options folder = Options.parse(new String[] {"serve", "directory", folder().toString()},
                Map.of("TILED_GATEWAY_TABLE", "catalog", "TILED_GATEWAY_INDEX_UPLOADS", "true"));
        assertEquals(Options.Where.DIRECTORY_FOLDER, folder.where);
        assertFalse(folder.indexUploads, "ambient settings for buckets do not change how a folder is served");
        assertNull(folder.table);
    }

    @Test
    void helpIsStatusZeroAndListsTheExitStatuses() {
        Run r = run("--help");
        assertEquals(Main.OK, r.status());
        assertTrue(r.out().contains("serve directory s3://BUCKET/PREFIX --table T"), r.out());
        assertTrue(r.out().contains("tiled-gateway serve catalog [--data-dir DIR]"), r.out());
        assertTrue(r.out().contains("tiled-gateway serve catalog --bucket B --table T"), r.out());
        assertTrue(r.out().contains("exit status: 0 done; 1 register: some entries unreadable"), r.out());
    }

    // ---- what cannot start

    @Test
    void aPortInUseIsOneLineAndStatus4AndReleasesTheCatalog() throws Exception {
        String dir = folder().toString();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = run("serve", "directory", dir, "--port", Integer.toString(taken.getLocalPort()));
            unavailable(r, "cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the port is in use (another server?); choose another with --port");
        }
        Run again = run("serve", "directory", dir, "--port", "0");
        try {
            assertEquals(Main.OK, again.status(), again.err());
            assertNotNull(again.running(), "the refused start released the folder's catalog");
        } finally {
            again.running().close();
        }
    }

    @Test
    void aMissingFolderIsOneLineAndStatus4() {
        String missing = tmp.resolve("nowhere").toString();
        unavailable(run("serve", "directory", missing, "--port", "0"), "no folder " + missing + " to serve");
        unavailable(run("register", missing), "no folder " + missing + " to register");
    }

    @Test
    void aSecondServerOnTheSameFolderIsRefusedAndTheFirstKeepsItsCatalog() throws Exception {
        Path dir = folder();
        Run first = run("serve", "directory", dir.toString(), "--port", "0");
        assertEquals(Main.OK, first.status(), first.err());
        try {
            Http http = new Http(first.running());
            assertEquals(200, http.get("/api/v1/metadata/t").statusCode());
            Run second = run("serve", "directory", dir.toString(), "--port", "0");
            unavailable(second, "the catalog of " + dir + " is in use by another tiled-gateway", "stop it first");
            assertFalse(second.err().contains("registering"), "refused before anything was touched: " + second.err());
            unavailable(run("register", dir.toString()), "the catalog of " + dir + " is in use by another tiled-gateway");
            assertEquals(200, http.get("/api/v1/metadata/t").statusCode(), "the first server's catalog is intact");
            assertEquals(1, http.json("/api/v1/search/?fields=").at("/meta/count").asInt());
        } finally {
            first.running().close();
        }
    }

    @Test
    @Tag("emulator")
    void aMissingBucketOrTableAndAnUnreachableEndpointAreOneLineAndStatus4() throws Exception {
        String endpoint = MotoServer.shared().endpoint().toString();
        unavailable(run("serve", "directory", "s3://no-such-bucket-here/p", "--table", "catalog", "--s3-endpoint", endpoint, "--dynamodb-endpoint", endpoint,
                "--port", "0"), "the bucket no-such-bucket-here does not exist in S3 at " + endpoint, "add --create-resources to have it created");
        Run created = run("register", "p", "--bucket", "cli-existing-bucket", "--table", "cli-catalog", "--s3-endpoint", endpoint, "--dynamodb-endpoint", endpoint,
                "--create-resources");
        assertEquals(Main.OK, created.status(), created.err());
        unavailable(run("register", "p", "--bucket", "cli-existing-bucket", "--table", "no-such-table", "--s3-endpoint", endpoint, "--dynamodb-endpoint", endpoint),
                "the DynamoDB table no-such-table does not exist in DynamoDB at " + endpoint, "add --create-resources to have it created");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + closed;
        unavailable(run("serve", "demo", "--s3-endpoint", dead, "--dynamodb-endpoint", dead, "--port", "0"), "cannot reach S3 at " + dead);
        unavailable(run("register", "p", "--bucket", "cli-existing-bucket", "--table", "cli-catalog", "--s3-endpoint", endpoint, "--dynamodb-endpoint", dead),
                "cannot reach DynamoDB at " + dead);
    }

    // ---- register's statuses

    @Test
    void registerIsStatus0WhenEverythingWasHandledAnd1WhenSomethingIsUnreadable() throws Exception {
        Path dir = folder();
        Run ok = run("register", dir.toString());
        assertEquals(Main.OK, ok.status(), ok.err());
        assertTrue(ok.out().startsWith("1 object: 1 read as 1 entry,"), ok.out());
        assertTrue(ok.err().contains("1/1 entries"), "the progress bar counts what the summary counts: " + ok.err());
        Files.write(dir.resolve("broken.parquet"), "PAR1 not really".getBytes(StandardCharsets.UTF_8));
        Run unreadable = run("register", dir.toString());
        assertEquals(Main.UNREADABLE, unreadable.status(), unreadable.err());
        assertTrue(unreadable.out().contains("unreadable broken.parquet: "), unreadable.out());
        assertTrue(unreadable.err().contains("1 entries cannot be read (listed above with the reasons); the rest is registered"), unreadable.err());
    }

    @Test
    void registerIsStatus3WhenEntriesFailedAndSaysWhatToDo() {
        Map<Outcome.Action, Integer> none = new EnumMap<>(Outcome.Action.class);
        Map<String, String> failed = new TreeMap<>(Map.of("a.csv", "IOException: DynamoDB GetItem on t failed: connection reset",
                "b.csv", "IOException: DynamoDB GetItem on t failed: connection reset"));
        Backfill.Summary allFailed = new Backfill.Summary("p/", 2, 2, 0, Map.of(), 2, 0, none, Map.of(), Map.of(), failed);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.FAILED, Register.status(allFailed, "s3://b/p/", new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("nothing under s3://b/p/ was registered: all 2 entries failed (the first, a.csv:"
                + " IOException: DynamoDB GetItem on t failed: connection reset); check that the store and the catalog can be reached, then run register again"), err.toString());

        Map<Outcome.Action, Integer> one = new EnumMap<>(Outcome.Action.class);
        one.put(Outcome.Action.REGISTERED, 1);
        Backfill.Summary someFailed = new Backfill.Summary("p/", 2, 2, 0, Map.of(), 2, 0, one, Map.of(), Map.of(),
                new TreeMap<>(Map.of("b.csv", "IOException: timeout")));
        err.reset();
        assertEquals(Main.FAILED, Register.status(someFailed, "s3://b/p/", new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("1 of 2 entries could not be handled now (listed above); run register again"), err.toString());
    }
}
