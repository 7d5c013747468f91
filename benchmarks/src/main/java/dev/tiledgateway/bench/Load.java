package dev.tiledgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1-minute load average, so a report shows when other work shared the CPUs. */
final class Load {

    private Load() {}

    /** The first field of {@code /proc/loadavg}, or "n/a" where there is none. */
    static String now() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
