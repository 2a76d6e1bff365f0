package org.survival4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.survival4j.examples.train.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code survival4j} command line: {@code train}, {@code tune}, {@code predict} and {@code explain}.
 *
 * <p>Exit codes: 0 success; 1 bad data or files (a missing file, an unknown column, values that are
 * not numbers, ...); 2 bad options (no command, an unknown option, a value of the wrong type or out
 * of range).
 * Both print one line on stderr, never a stack trace. Anything else is a bug: exit 3 with the
 * stack trace.
 */
@Command(name = "survival4j", mixinStandardHelpOptions = true, versionProvider = Survival4jCli.Version.class,
        description = "Deep survival analysis on Deeplearning4j: train a Cox, Weibull or grid-hazard network (with "
                + "momentum), choose its settings, predict with it and explain its predictions.",
        subcommands = {TrainCommand.class, TuneCommand.class, PredictCommand.class, ExplainCommand.class,
            CommandLine.HelpCommand.class})
public final class Survival4jCli implements Callable<Integer> {
    /** Exit code for bad data or files. */
    public static final int DATA_ERROR = 1;
    /** Exit code for bad options. */
    public static final int USAGE_ERROR = 2;
    /** Exit code for an unexpected failure (a bug). */
    public static final int INTERNAL_ERROR = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line. A non-zero exit code ends the JVM with that code; success returns
     * normally, so that the CLI can also run inside Maven ({@code exec:java}).
     */
    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command line and returns the exit code (for tests and embedding). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line, printing to {@code System.out} / {@code System.err}. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Survival4jCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(new OneLineUsageError());
        cli.setExecutionExceptionHandler(new OneLineDataError());
        return cli;
    }

    /** No command: a usage error, as a missing option is (one line, then the usage, on stderr). */
    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        PrintWriter err = cli.getErr();
        err.println("survival4j: missing a command: train or predict");
        err.flush();
        cli.usage(err);
        return USAGE_ERROR;
    }

    /** Bad options: one line, exit 2. */
    static final class OneLineUsageError implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("survival4j: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName()
                    + " --help')");
            err.flush();
            return USAGE_ERROR;
        }
    }

    /** User errors found while running: one line, exit 1; bugs: stack trace, exit 3. */
    static final class OneLineDataError implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
            PrintWriter err = cmd.getErr();
            // A ParameterException thrown by a command's call() never arrives here: picocli 4.7
            // rethrows it from execute() to the parameter exception handler (OneLineUsageError).
            int code;
            if (e instanceof IllegalArgumentException) {
                // InvalidInputException and survival4j's own input checks (SurvivalArgumentException)
                err.println("survival4j: " + e.getMessage());
                code = DATA_ERROR;
            } else if (e instanceof IOException io) {
                // NIO exceptions' messages are often just the path: say what kind of failure it was
                err.println("survival4j: I/O error: " + io.getClass().getSimpleName() + ": " + io.getMessage());
                code = DATA_ERROR;
            } else {
                err.println("survival4j: internal error, please report it with the trace below");
                e.printStackTrace(err);
                code = INTERNAL_ERROR;
            }
            err.flush();
            return code;
        }
    }

    /** The version from the jar manifest, if any. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Survival4jCli.class.getPackage().getImplementationVersion();
            return new String[] {"survival4j " + (v == null ? "(development build)" : v)};
        }
    }
}
