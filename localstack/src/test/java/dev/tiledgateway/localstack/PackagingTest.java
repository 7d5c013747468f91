package dev.tiledgateway.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaging step the LocalStack suite (and the init hook, through {@code awslocal cloudformation package}) relies on. */
class PackagingTest {

    @Test
    void theTemplateNamesTheThreeFunctionJarsAndTheReactorBuiltThem() throws IOException {
        List<String> uris = Packaging.codeUris(Files.readString(Packaging.TEMPLATE));
        assertEquals(List.of("../functions/api/target/api-lambda.jar", "../functions/authorizer/target/authorizer-lambda.jar",
                "../catalog-indexer/target/catalog-indexer-lambda.jar"), uris);
        for (String uri : uris) assertTrue(Files.isRegularFile(Packaging.jar(uri)), uri + " was not built: run this module with verify after the function modules");
    }

    @Test
    void everyCodeUriPointsAtItsUploadAndNothingElseChanges() throws IOException {
        String template = Files.readString(Packaging.TEMPLATE);
        Map<String, String> at = new LinkedHashMap<>();
        for (String uri : Packaging.codeUris(template)) at.put(uri, "s3://artifacts/" + Packaging.jar(uri).getFileName());
        String packaged = Packaging.packaged(template, at);
        assertEquals(List.of("s3://artifacts/api-lambda.jar", "s3://artifacts/authorizer-lambda.jar", "s3://artifacts/catalog-indexer-lambda.jar"),
                Packaging.codeUris(packaged));
        assertFalse(packaged.contains("target/"), "no local path is left");
        assertEquals(template.lines().count(), packaged.lines().count());
        assertTrue(packaged.contains("Transform: AWS::Serverless-2016-10-31"), "LocalStack applies the SAM transform itself");
    }

    @Test
    void aCodeUriWithoutAnUploadIsRefused() throws IOException {
        String template = Files.readString(Packaging.TEMPLATE);
        assertThrows(IllegalArgumentException.class, () -> Packaging.packaged(template, Map.of()));
    }
}
