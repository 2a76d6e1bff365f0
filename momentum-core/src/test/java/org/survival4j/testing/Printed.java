package org.survival4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * What a piece of code prints on {@code System.out} or {@code System.err} while it runs, for tests of
 * what reaches the console; the stream is replaced for that time only (other threads' output of that
 * moment is caught too).
 */
public final class Printed {
    /** Code to run, which may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private Printed() {
    }

    /** The text {@code action} printed on standard output. */
    public static String onOut(Action action) throws Exception {
        return capture(System.out, System::setOut, action);
    }

    /** The text {@code action} printed on standard error. */
    public static String onErr(Action action) throws Exception {
        return capture(System.err, System::setErr, action);
    }

    private static String capture(PrintStream original, Consumer<PrintStream> install, Action action)
            throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        install.accept(new PrintStream(text, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            install.accept(original);
        }
        return text.toString(StandardCharsets.UTF_8);
    }
}
