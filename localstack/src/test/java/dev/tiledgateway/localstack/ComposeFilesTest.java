package dev.tiledgateway.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the compose file and its ready hook without Docker: the scripts parse, the hook is
 * executable (LocalStack runs only executable scripts), every repository file they name exists, the jars they wait for
 * are the ones the template names, and the demo they upload is the suite's.
 */
class ComposeFilesTest {

    private static final Path HOOK = Path.of("init", "ready.d", "10-deploy-stack.sh");
    private static final Path UP = Path.of("up");

    private static void bashParses(Path script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), script + ": " + out);
    }

    @Test
    void theScriptsParseAndAreExecutable() throws Exception {
        for (Path s : List.of(HOOK, UP)) {
            bashParses(s);
            assertTrue(Files.isExecutable(s), s + " must be executable");
            assertTrue(Files.readString(s).startsWith("#!/"), s + " needs a shebang");
        }
    }

    @Test
    void theHookWaitsForTheJarsTheTemplateNames() throws IOException {
        String hook = Files.readString(HOOK);
        Matcher m = Pattern.compile("for jar in ([^;]+);").matcher(hook);
        assertTrue(m.find(), "the hook checks the jars");
        List<String> jars = List.of(m.group(1).trim().split("\\s+"));
        List<String> named = Packaging.codeUris(Files.readString(Packaging.TEMPLATE)).stream().map(u -> u.replaceFirst("^\\.\\./", "")).toList();
        assertEquals(named, jars);
        // and `up` builds exactly the modules that make them
        String up = Files.readString(UP);
        List<String> modules = named.stream().map(j -> j.substring(0, j.indexOf("/target/"))).toList();
        assertTrue(up.contains("-pl " + String.join(",", modules) + " -am"), "up builds " + modules);
    }

    @Test
    void theHookUploadsTheSuitesDemoFromFilesThatExist() throws IOException {
        String hook = Files.readString(HOOK);
        Path repo = Path.of("..");
        Matcher m = Pattern.compile("\\$fixtures/(\\S+?)\"").matcher(hook);
        int n = 0;
        while (m.find()) {
            Path f = Demo.FORMATS.resolve(m.group(1));
            assertTrue(Files.exists(f), f + " is named by the hook");
            n++;
        }
        assertEquals(2, n, "the array and the table");
        assertTrue(hook.contains("\"$fixtures/" + Demo.FORMATS.relativize(Demo.ARRAY) + "\" \"s3://$bucket/" + Demo.ARRAY_KEY + "\""), "the suite's array, at the suite's key");
        assertTrue(hook.contains("\"$fixtures/" + Demo.FORMATS.relativize(Demo.TABLE) + "\" \"s3://$bucket/" + Demo.TABLE_KEY + "\""), "the suite's table, at the suite's key");
        assertTrue(hook.contains(Demo.ARRAY_NODE + " " + Demo.TABLE_NODE), "it waits for both nodes");
        assertTrue(hook.contains("$repo/infra/template.yaml") && Files.isRegularFile(repo.resolve("infra/template.yaml")));
    }

    @Test
    void composeMountsTheRepositoryTheHookAndTheDockerSocket() throws IOException {
        String compose = Files.readString(Path.of("docker-compose.yml"));
        assertTrue(compose.contains("\"..:/opt/tiled-gateway:ro\""), "the hook reads the repository at /opt/tiled-gateway");
        assertTrue(compose.contains("\"./init/ready.d:/etc/localstack/init/ready.d:ro\""), "LocalStack's ready stage");
        assertTrue(compose.contains("/var/run/docker.sock:/var/run/docker.sock"), "LocalStack runs functions in containers");
        assertTrue(compose.contains("127.0.0.1:4566:4566"), "the endpoint the hook prints");
        assertTrue(compose.contains(StackOnLocalStackTest.DEFAULT_IMAGE), "the suite and compose use one image");
    }
}
