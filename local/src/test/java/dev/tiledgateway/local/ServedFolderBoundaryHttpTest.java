package dev.tiledgateway.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code serve directory} never serves a file whose real path lies outside the served folder: not through a
 * data URI that passes a symbolic link, not through a link found in the folder at start, not through one made
 * while serving. Links that stay inside the folder are not followed either (they would name data twice).
 */
class ServedFolderBoundaryHttpTest {

    @TempDir
    static Path root;

    private static Path data;
    private static Path outside;
    private static Main.Running running;
    private static Http http;

    @BeforeAll
    static void serve() throws Exception {
        data = Files.createDirectories(root.resolve("data"));
        outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("secret.csv"), "secret,value\n1,2\n");
        Files.createDirectories(data.resolve("tables"));
        Files.writeString(data.resolve("tables").resolve("plain.csv"), "a,b\n1,2\n3,4\n");
        Files.createSymbolicLink(data.resolve("rootlink"), Path.of("/"));
        Files.createSymbolicLink(data.resolve("leak.csv"), outside.resolve("secret.csv"));
        Files.createSymbolicLink(data.resolve("leakdir"), outside);
        Files.createSymbolicLink(data.resolve("alias"), data.resolve("tables"));
        Files.createSymbolicLink(data.resolve("alias.csv"), data.resolve("tables").resolve("plain.csv"));
        Files.createSymbolicLink(data.resolve("loop"), data);
        running = Main.serveDirectory("127.0.0.1", 0, data, 4_500_000);
        http = new Http(running);
    }

    @AfterAll
    static void stop() { running.server().close(); }

    private static String csvRegistration(String id, String dataUri) {
        return "{\"id\": \"" + id + "\", \"structure_family\": \"table\", \"metadata\": {}, \"specs\": [], \"data_sources\": [{"
                + "\"structure_family\": \"table\", \"structure\": null, \"id\": null, \"mimetype\": \"text/csv\", \"parameters\": {},"
                + " \"properties\": {}, \"management\": \"external\", \"assets\": [{\"data_uri\": \"" + dataUri + "\","
                + " \"is_directory\": false, \"parameter\": \"data_uri\", \"num\": null}]}]}";
    }

    private static HttpResponse<byte[]> register(String id, String dataUri) throws Exception {
        return http.send("POST", "/api/v1/register/", csvRegistration(id, dataUri).getBytes(),
                "Content-Type", "application/json", "Accept", "application/json");
    }

    private static String uri(Path p) { return "file://localhost" + p.toAbsolutePath().toUri().getRawPath(); }

    @Test
    void aSystemFileCannotBeRegisteredThroughALinkToTheFilesystemRoot() throws Exception {
        HttpResponse<byte[]> r = register("passwd", uri(data.resolve("rootlink/etc/passwd")));
        assertEquals(400, r.statusCode(), new String(r.body()));
        assertEquals(404, http.get("/api/v1/table/full/passwd?format=text/csv").statusCode(), "nothing was stored");
    }

    @Test
    void theProcessEnvironmentCannotBeRegisteredThroughALink() throws Exception {
        HttpResponse<byte[]> r = register("environ", uri(data.resolve("rootlink/proc/self/environ")));
        assertEquals(400, r.statusCode(), new String(r.body()));
        assertEquals(404, http.get("/api/v1/table/full/environ?format=text/csv").statusCode(), "nothing was stored");
    }

    @Test
    void outsidePathsThatExistAndThatDoNotAreRefusedAlike() throws Exception {
        HttpResponse<byte[]> exists = register("exists", uri(data.resolve("rootlink/etc/passwd")));
        HttpResponse<byte[]> missing = register("missing", uri(data.resolve("rootlink/etc/no-such-file-here")));
        HttpResponse<byte[]> direct = register("direct", "file:///etc/passwd");
        assertEquals(exists.statusCode(), missing.statusCode());
        assertEquals(Http.detailOf(exists), Http.detailOf(missing));
        assertEquals(exists.statusCode(), direct.statusCode());
        assertEquals(Http.detailOf(exists), Http.detailOf(direct));
    }

    @Test
    void aLinkThatStaysInsideTheFolderIsNotFollowedWhenRegistering() throws Exception {
        HttpResponse<byte[]> r = register("via_alias", uri(data.resolve("alias/plain.csv")));
        assertEquals(400, r.statusCode(), new String(r.body()));
        assertEquals(200, register("direct_plain", uri(data.resolve("tables/plain.csv"))).statusCode(), "the same file named without the link");
    }

    @Test
    void linksFoundAtStartAreNotRegistered() throws Exception {
        assertEquals(200, http.get("/api/v1/metadata/tables/plain").statusCode(), "the folder itself was served");
        for (String path : new String[] {"leak", "leakdir", "leakdir/secret", "alias", "alias/plain", "loop", "loop/tables/plain", "rootlink"})
            assertEquals(404, http.get("/api/v1/metadata/" + path).statusCode(), path);
    }

    @Test
    void aLinkBackIntoTheFolderDoesNotHideFilesAddedLater() throws Exception {
        // The folder holds "loop" -> itself: watching through it would report this file under loop/.
        Files.writeString(data.resolve("later.csv"), "x,y\n4,4\n");
        assertEquals(200, http.await("/api/v1/metadata/later", 200));
        assertEquals(404, http.get("/api/v1/metadata/loop/later").statusCode());
    }

    @Test
    void linksMadeWhileServingAreNotRegistered() throws Exception {
        Path late = Files.createDirectories(data.resolve("late"));
        Files.createSymbolicLink(late.resolve("leak.csv"), outside.resolve("secret.csv"));
        Files.createSymbolicLink(late.resolve("leakdir"), outside);
        Files.writeString(late.resolve("first.csv"), "x,y\n1,1\n");
        assertEquals(200, http.await("/api/v1/metadata/late/first", 200));
        // A second batch of changes, so the links' events have certainly been handled.
        Files.writeString(late.resolve("second.csv"), "x,y\n2,2\n");
        assertEquals(200, http.await("/api/v1/metadata/late/second", 200));
        Files.writeString(outside.resolve("fresh.csv"), "y,z\n3,3\n");
        Files.writeString(late.resolve("third.csv"), "x,y\n3,3\n");
        assertEquals(200, http.await("/api/v1/metadata/late/third", 200));
        for (String path : new String[] {"late/leak", "late/leakdir", "late/leakdir/secret", "late/leakdir/fresh", "leakdir/fresh"})
            assertEquals(404, http.get("/api/v1/metadata/" + path).statusCode(), path);
    }
}
