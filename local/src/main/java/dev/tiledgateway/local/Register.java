package dev.tiledgateway.local;

import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.embedded.catalog.SqliteCatalog;
import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.indexer.Backfill;
import dev.tiledgateway.indexer.Indexer;
import dev.tiledgateway.indexer.IndexerHandler;
import dev.tiledgateway.indexer.IndexerSettings;
import dev.tiledgateway.indexer.apply.Outcome;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code register}: the backfill of a folder (into the catalog {@code serve directory} keeps for it) or of a bucket
 * prefix (into a DynamoDB table), with a progress bar on stderr and the summary on stdout. The exit status says
 * whether everything was handled ({@link Main#OK}), some entries were unreadable ({@link Main#UNREADABLE}) or could
 * not be handled now ({@link Main#FAILED}); what could not even start is an {@link UnavailableException}.
 */
final class Register {

    private Register() {}

    static int run(Options o, PrintStream out, PrintStream err) throws IOException {
        Backfill.Summary summary;
        String what;
        if (o.aws()) {
            AwsStorage aws = AwsStorage.open(o.s3Endpoint, o.dynamoEndpoint, o.bucket, "", o.table, o.createResources);
            Indexer indexer = IndexerHandler.indexer(new Backend(aws.catalog(), aws.root()), IndexerSettings.defaults());
            what = "s3://" + o.bucket + "/" + o.prefix;
            summary = new Backfill(indexer, aws.root(), Backfill.Sequencing.REDELIVER).run(o.prefix, Registering.progressBar(err));
        } else {
            Path dir = o.directory;
            if (!Files.isDirectory(dir)) throw new UnavailableException("no folder " + dir + " to register (for a prefix of a bucket: register PREFIX --bucket B --table T)");
            Path state = Serve.directoryState(o, dir);
            what = dir.toString();
            try (StateLock lock = StateLock.take(state, "the catalog of " + dir);
                 SqliteCatalog catalog = Serve.openDirectoryCatalog(state, dir, err)) {
                Indexer indexer = IndexerHandler.indexer(new Backend(catalog, new FileBlobStore(dir)), IndexerSettings.defaults());
                summary = new Backfill(indexer, new FileBlobStore(dir), Backfill.Sequencing.CLOCK).run("", Registering.progressBar(err));
            } catch (java.sql.SQLException e) {
                throw new IOException("closing the catalog of " + dir + ": " + e.getMessage(), e);
            }
        }
        out.print(summary.describe());
        out.flush();
        return status(summary, what, err);
    }

    /** The exit status of a summary, with one line on what to do when it is not {@link Main#OK}. */
    static int status(Backfill.Summary s, String what, PrintStream err) {
        if (s.allFailed()) {
            Map.Entry<String, String> first = s.failed().entrySet().iterator().next();
            err.println("tiled-gateway: nothing under " + what + " was registered: all " + s.checked() + " entries failed (the first, "
                    + first.getKey() + ": " + first.getValue() + "); check that the store and the catalog can be reached, then run register again");
            return Main.FAILED;
        }
        if (!s.failed().isEmpty()) {
            err.println("tiled-gateway: " + s.failed().size() + " of " + s.checked() + " entries could not be handled now (listed above); run register again");
            return Main.FAILED;
        }
        if (s.count(Outcome.Action.UNREADABLE) > 0) {
            err.println("tiled-gateway: " + s.count(Outcome.Action.UNREADABLE) + " entries cannot be read (listed above with the reasons); the rest is registered");
            return Main.UNREADABLE;
        }
        if (s.objects() == 0) err.println("tiled-gateway: nothing under " + what + " (register takes whole path segments: proj means the folder proj/)");
        return Main.OK;
    }
}
