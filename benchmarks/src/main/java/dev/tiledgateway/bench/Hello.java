package dev.tiledgateway.bench;

/** The floor for cold starts: a JVM that starts, prints one line and exits, launched exactly like the others. */
public final class Hello {

    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello");
        System.out.flush();
    }
}
