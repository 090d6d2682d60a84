package dev.vae.examples.plot;

/**
 * Puts AWT into headless mode before any picture is drawn, unless the user already chose a mode
 * with {@code -Djava.awt.headless=...}. Every public class of this package that touches AWT calls
 * {@link #ensure()} from its static initialiser, so the pictures render on servers and CI machines
 * that have no display.
 */
final class Headless {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Headless() {
    }

    /** Runs the static initialiser above once; later calls do nothing. */
    static void ensure() {
        // The work happens in the static initialiser.
    }
}
