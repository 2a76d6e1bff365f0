package org.survival4j.examples.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.survival4j.examples.train.Trainer;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.SurvivalModel;

/**
 * A small HTTP scoring endpoint for a {@link SurvivalModel} on the JDK's built-in server, bound to
 * the loopback address (127.0.0.1) only: put a reverse proxy in front of it to serve other hosts.
 * <ul>
 *   <li>{@code POST /predict}: raw rows in, risk, survival at the requested times and a quantile
 *       time (the median by default) out; the body is described in {@link PredictRequest}. Answer:
 *       <pre>{@code
 * {"times": [365, 730], "quantile": 0.5,
 *  "predictions": [{"risk": 0.41, "survival": [0.93, 0.85], "quantileTime": 1807.0, "reached": true},
 *                  {"risk": -1.2, "survival": [0.98, 0.96], "quantileTime": null, "reached": false}]}
 *       }</pre>
 *       {@code quantileTime} is {@code null} with {@code reached: false} where the survival curve
 *       stays above the level ("not reached": {@code +Infinity} in {@link SurvivalModel#quantileTime}).</li>
 *   <li>{@code GET /model}: the model's description ({@link ModelDescription}).</li>
 * </ul>
 * A request that cannot be answered gets a 4xx status and {@code {"error": "one line"}}: 400 for
 * malformed JSON, an unknown or missing column, a value of the wrong type, a non-finite number or
 * a value the recipe refuses; 404 for another path; 405 for another method; 413 for a body over
 * {@link #MAX_BODY_BYTES}. An unexpected failure is a 500 whose details go to the server's log only.
 *
 * <p>Requests run on a fixed pool of threads and share nothing but the model (thread-safe) and
 * the immutable model description: each request parses, encodes and predicts with its own objects.
 *
 * <pre>
 * java -cp "$(cat examples/target/classpath.txt):examples/target/classes" \
 *     org.survival4j.examples.serving.ScoringServer --model model.zip [--port 8080] [--threads 2]
 * </pre>
 */
public final class ScoringServer implements AutoCloseable {
    /** The largest request body accepted: 1 MiB (about 10,000 rows of ten columns). */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** How much of an oversized body is read and discarded (so the client gets its 413) before the connection is dropped. */
    private static final long DISCARD_LIMIT = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ScoringServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SurvivalModel model;
    private final List<String> columns;
    private final byte[] description;
    private final HttpServer server;
    private final ExecutorService executor;

    private ScoringServer(SurvivalModel model, int port, int threads) throws IOException {
        this.model = model;
        FeatureRecipe recipe = model.recipe();
        if (recipe == null) {
            throw new IllegalArgumentException("the scoring server reads raw rows by column name: the model needs a"
                    + " feature recipe (SurvivalModel.builder(...).recipe(...))");
        }
        List<String> names = new ArrayList<>();
        recipe.columns().forEach(c -> names.add(c.name()));
        if (recipe.strataColumn() != null) {
            names.add(recipe.strataColumn());
        }
        this.columns = List.copyOf(names);
        this.description = JSON.writeValueAsBytes(ModelDescription.of(model, JSON));
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "scoring-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts serving {@code model} on 127.0.0.1.
     *
     * @param port the port, 0 for any free one ({@link #port()} tells which)
     * @param threads the requests answered at once, {@code >= 1}
     * @throws IllegalArgumentException if the model has no feature recipe or {@code threads < 1}
     * @throws IOException if the port cannot be bound
     */
    public static ScoringServer start(SurvivalModel model, int port, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new ScoringServer(Objects.requireNonNull(model, "model"), port, threads);
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The server's base address, {@code http://127.0.0.1:port/}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    /** Stops accepting requests, lets running ones finish (up to a second) and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        byte[] body;
        try {
            body = route(exchange);
        } catch (HttpError e) {
            status = e.status();
            body = error(e.getMessage());
        } catch (IllegalArgumentException e) { // the recipe or the model refusing a value: the client's data
            status = 400;
            body = error(e.getMessage());
        } catch (IOException e) {
            status = 400;
            body = error("the request body could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            status = 500;
            body = error("internal error (" + e.getClass().getSimpleName() + "); see the server's log");
        }
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD"); // an answer to HEAD has headers only
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private byte[] route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case "/predict" -> {
                requireMethod(exchange, "POST");
                return predict(PredictRequest.parse(body(exchange), columns));
            }
            case "/model" -> {
                requireMethod(exchange, "GET");
                return description;
            }
            default -> throw new HttpError(404, "no such path: " + path + " (POST /predict, GET /model)");
        }
    }

    private static void requireMethod(HttpExchange exchange, String method) {
        if (!exchange.getRequestMethod().equals(method)) {
            exchange.getResponseHeaders().set("Allow", method);
            throw new HttpError(405, exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + " is not supported; use " + method);
        }
    }

    /** The request body, at most {@link #MAX_BODY_BYTES}. */
    private static byte[] body(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            byte[] sink = new byte[1 << 16];
            long left = DISCARD_LIMIT;
            for (int r; left > 0 && (r = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= r;
            }
            throw new HttpError(413, "the body is larger than the limit of " + MAX_BODY_BYTES + " bytes: send fewer"
                    + " rows a request");
        }
        return bytes;
    }

    /**
     * The answer of {@code POST /predict}. Per row: {@code risk} where the model has one score
     * (not for cause-specific Cox or DeepHit, whose risk is per cause), {@code survival} at the
     * times with the {@code quantileTime} of the level (for a competing-risks model the survival
     * from every cause; a Fine-Gray model has none), and for a competing-risks model
     * {@code cumulativeIncidence} per cause at the times.
     */
    private byte[] predict(PredictRequest request) throws IOException {
        double[][] x = model.encode(request.rows());
        int[] strata = model.recipe().strata(request.rows());
        double[] times = request.times();
        SurvivalModel.Kind kind = model.kind();
        double[] risk = kind == SurvivalModel.Kind.CAUSE_SPECIFIC_COX || kind == SurvivalModel.Kind.DEEPHIT ? null
                : model.risk(x);
        boolean eventFree = kind != SurvivalModel.Kind.FINE_GRAY;
        double[][] survival = eventFree ? model.survival(x, strata, times) : null;
        double[] quantile = eventFree ? model.quantileTime(x, strata, request.level()) : null;
        int[] causes = model.competingRisks() ? model.causes() : new int[0];
        double[][][] incidence = new double[causes.length][][];
        for (int c = 0; c < causes.length; c++) {
            incidence[c] = model.cumulativeIncidence(x, strata, causes[c], times);
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode timeArray = answer.putArray("times");
        for (double t : times) {
            timeArray.add(t);
        }
        if (eventFree) {
            answer.put("quantile", request.level());
        }
        ArrayNode predictions = answer.putArray("predictions");
        for (int i = 0; i < x.length; i++) {
            ObjectNode p = predictions.addObject();
            if (risk != null) {
                p.put("risk", risk[i]);
            }
            if (eventFree) {
                addAll(p.putArray("survival"), survival[i]);
                boolean reached = Double.isFinite(quantile[i]);
                p.put("quantileTime", reached ? quantile[i] : null).put("reached", reached);
            }
            if (causes.length > 0) {
                ObjectNode byCause = p.putObject("cumulativeIncidence");
                for (int c = 0; c < causes.length; c++) {
                    addAll(byCause.putArray(Integer.toString(causes[c])), incidence[c][i]);
                }
            }
        }
        return JSON.writeValueAsBytes(answer);
    }

    private static void addAll(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(v);
        }
    }

    private static byte[] error(String message) {
        String line = message == null ? "bad request" : message.replaceAll("\\s+", " ").strip();
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("error", line));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON object of one string always serializes", e);
        }
    }

    /**
     * Serves a model file until the process is stopped.
     *
     * @param args {@code --model FILE} (a model file, or a directory holding {@code model.zip}),
     *     optionally {@code --port N} (default 8080; 0 = any free port) and {@code --threads N} (default 2)
     */
    public static void main(String[] args) throws IOException {
        Path file = null;
        int port = 8080;
        int threads = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> file = Path.of(value(args, ++i));
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; options: --model FILE, --port N, --threads N");
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("--model FILE is required (a file written by SurvivalModel.save)");
        }
        Trainer.useOneThread(); // one ND4J thread per request: the pool's threads are the parallelism
        SurvivalModel model = SurvivalModel.load(file);
        ScoringServer server = start(model, port, threads);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println(String.format(Locale.ROOT, "serving %s at %s (POST /predict, GET /model); Ctrl-C stops",
                model, server.uri()));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
