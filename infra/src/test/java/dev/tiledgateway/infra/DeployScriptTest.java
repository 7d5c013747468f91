package dev.tiledgateway.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./tiled-gateway deploy} as far as it runs without AWS: its arguments and refusals, the jars it builds (those
 * the template names, checked after the reactor built them: {@code --no-build}, so no second Maven runs inside this
 * one), the AWS CLI commands a dry run prints, and a clean refusal where the AWS CLI is missing. It has not been run
 * against AWS.
 */
class DeployScriptTest {

    private static final Path COMMAND = Path.of("..", "tiled-gateway");

    private record Run(int status, String out, String err) {}

    private static Run deploy(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", COMMAND.toString(), "deploy"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("AWS_REGION");
        pb.environment().remove("AWS_DEFAULT_REGION");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void aDryRunPrintsThePackageAndDeployOfTheStackWithItsParameters() throws Exception {
        Run r = deploy(Map.of(), "--stack", "tiled-test", "--region", "eu-west-1", "--public",
                "--allow-origin", "https://app.example.org", "--allow-origin", "http://localhost:3000", "--no-build", "--dry-run");
        assertEquals(0, r.status(), r.err());
        List<String> commands = r.out().lines().filter(l -> l.startsWith("would run: ")).toList();
        assertEquals(3, commands.size(), r.out());
        assertTrue(commands.get(0).contains("aws s3 mb s3://tiled-gateway-artifacts-ACCOUNT-eu-west-1"), commands.get(0));
        assertTrue(commands.get(1).contains("aws cloudformation package --template-file ") && commands.get(1).contains("infra/template.yaml")
                && commands.get(1).contains("--s3-prefix tiled-test"), commands.get(1));
        String d = commands.get(2);
        assertTrue(d.contains("aws cloudformation deploy") && d.contains("--stack-name tiled-test") && d.contains("--region eu-west-1")
                && d.contains("CAPABILITY_IAM CAPABILITY_AUTO_EXPAND") && d.contains("Public=true"), d);
        // the two origins, comma-joined into the AllowOrigins parameter (quoted for the shell)
        assertTrue(d.replace("\\,", ",").contains("AllowOrigins=https://app.example.org,http://localhost:3000"), d);
        assertTrue(r.err().contains("nothing was deployed"), r.err());
    }

    @Test
    void withoutPublicTheStackIsPrivateAndNoOriginIsAllowed() throws Exception {
        Run r = deploy(Map.of("AWS_REGION", "us-east-1"), "--stack", "t", "--no-build", "--dry-run");
        assertEquals(0, r.status(), r.err());
        String d = r.out().lines().filter(l -> l.contains("cloudformation deploy")).findFirst().orElseThrow();
        assertTrue(d.contains("Public=false") && d.contains("--region us-east-1"), d);
        assertTrue(d.matches(".*AllowOrigins=(''|)( .*|$)"), d);
    }

    @Test
    void itUsesTheJarsTheTemplateNamesAndTheModulesThatBuildThem() throws Exception {
        JsonNode sam = Template.sam();
        List<String> jars = new ArrayList<>();
        List<String> modules = new ArrayList<>();
        for (String f : Template.FUNCTIONS) {
            Path jar = Template.jar(sam, f);
            assertTrue(Files.isRegularFile(jar), jar + " (run this module with verify after the function modules)");
            jars.add(jar.getFileName().toString());
            String uri = sam.at("/Resources/" + f + "/Properties/CodeUri").asText().replaceFirst("^\\.\\./", "");
            modules.add(uri.substring(0, uri.indexOf("/target/")));
        }
        Run r = deploy(Map.of(), "--stack", "t", "--region", "us-east-1", "--no-build", "--dry-run");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains(String.join(" ", jars)), r.err());
        assertTrue(r.err().contains("modules " + String.join(",", modules)), "the build is mvn package -pl " + modules + ": " + r.err());
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() throws Exception {
        Map<String, String> none = Map.of();
        assertRefused(deploy(none, "--region", "us-east-1"), "--stack NAME is required");
        assertRefused(deploy(none, "--stack", "1-starts-with-a-digit", "--region", "us-east-1", "--dry-run"), "is not a stack name");
        assertRefused(deploy(none, "--stack", "s", "--region", "us-east-1", "--allow-origin", "https://app.example.org/path", "--dry-run"), "is not an origin");
        assertRefused(deploy(none, "--stack", "s", "--region", "Europe", "--dry-run"), "is not an AWS region");
        assertRefused(deploy(none, "--stack", "s", "--frobnicate"), "unknown argument '--frobnicate'");
        assertRefused(deploy(none, "--stack"), "--stack needs a name");
    }

    @Test
    void withoutTheAwsCliItRefusesBeforeBuildingAnything(@TempDir Path bin) throws Exception {
        // A PATH with the shell and nothing else the script may need before it looks for the AWS CLI.
        for (String tool : List.of("bash", "dirname")) {
            Path real = which(tool);
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        Run r = deploy(Map.of("PATH", bin.toString()), "--stack", "s", "--region", "us-east-1");
        assertRefused(r, "the AWS CLI (aws) is not installed or not on PATH");
        assertTrue(!r.err().contains("building"), "nothing was built: " + r.err());
    }

    private static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        throw new AssertionError(tool + " is not on PATH");
    }

    private static void assertRefused(Run r, String reason) {
        assertEquals(2, r.status(), () -> "expected a refusal (" + reason + "); stderr: " + r.err() + " stdout: " + r.out());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("tiled-gateway deploy: ") && l.contains(reason)),
                () -> "expected '" + reason + "' in: " + r.err().lines().collect(Collectors.joining(" | ")));
        assertTrue(r.out().lines().noneMatch(l -> l.startsWith("would run")), "nothing was run");
    }
}
