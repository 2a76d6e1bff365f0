package org.survival4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the Zeppelin notes in {@code examples/zeppelin} from rotting: each {@code .zpln} file must
 * be a Zeppelin 0.10 note (a {@code paragraphs} array whose entries have an id, a config and a
 * {@code text} starting with a known interpreter prefix), and each {@code %java} paragraph is run
 * the way Zeppelin's Java interpreter runs it: the class holding {@code main} gets a fresh random
 * name, the code is compiled in memory with {@code javax.tools} against the test classpath, and
 * {@code main(new String[0])} runs with standard output captured. The output must not be empty, and
 * each {@code %table} result in it must be a rectangular, tab-separated table.
 */
class ZeppelinNotebooksTest {
    private static final Path NOTES = Path.of("zeppelin");
    private static final Set<String> INTERPRETERS = Set.of("md", "java");
    private static final Pattern MAIN_CLASS = Pattern.compile(
            "public\\s+class\\s+(\\w+)[^{]*\\{(?=[\\s\\S]*public\\s+static\\s+void\\s+main\\s*\\()");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyNoteIsValidAndEveryJavaParagraphRuns() throws IOException {
        List<Path> notes;
        try (Stream<Path> files = Files.list(NOTES)) {
            notes = files.filter(p -> p.toString().endsWith(".zpln")).sorted().toList();
        }
        assertTrue(notes.size() >= 3, "expected the three notes in " + NOTES.toAbsolutePath());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path note : notes) {
            JsonNode root = JSON.readTree(note.toFile());
            tests.add(DynamicTest.dynamicTest(note.getFileName() + " is a Zeppelin note", () -> checkNote(root)));
            JsonNode paragraphs = root.path("paragraphs");
            for (int i = 0; i < paragraphs.size(); i++) {
                String text = paragraphs.get(i).path("text").asText("");
                if (text.startsWith("%java")) {
                    String code = text.substring(text.indexOf('\n') + 1);
                    tests.add(DynamicTest.dynamicTest(note.getFileName() + " paragraph " + (i + 1) + " runs",
                            () -> checkOutput(runAsZeppelinWould(code))));
                }
            }
        }
        return tests.stream();
    }

    private static void checkNote(JsonNode root) {
        assertTrue(root.isObject(), "not a JSON object");
        assertTrue(root.path("name").isTextual(), "no name");
        assertTrue(root.path("id").isTextual(), "no id");
        JsonNode paragraphs = root.path("paragraphs");
        assertTrue(paragraphs.isArray() && paragraphs.size() > 0, "no paragraphs array");
        for (JsonNode p : paragraphs) {
            assertTrue(p.path("id").isTextual(), "paragraph without id");
            assertTrue(p.path("config").isObject(), "paragraph without config");
            assertTrue(p.path("text").isTextual(), "paragraph without text");
            String text = p.path("text").asText();
            String prefix = text.startsWith("%") ? text.substring(1).split("\\s", 2)[0] : "";
            assertTrue(INTERPRETERS.contains(prefix), "unknown interpreter prefix in: "
                    + text.substring(0, Math.min(40, text.length())));
        }
    }

    /** Checks every {@code %table} result of the output (Zeppelin starts a new result at each display directive). */
    private static void checkOutput(String output) {
        assertFalse(output.isBlank(), "no output");
        for (String result : output.split("\n(?=%)")) {
            if (result.startsWith("%table")) {
                String[] rows = result.substring("%table".length()).strip().split("\n");
                assertTrue(rows.length >= 2, "a table without rows: " + result);
                int columns = rows[0].split("\t", -1).length;
                for (String row : rows) {
                    assertEquals(columns, row.split("\t", -1).length, "ragged table row: " + row);
                    assertFalse(row.contains("NaN"), "NaN in: " + row);
                }
            }
        }
    }

    /** Zeppelin's static REPL: rename the class with main, compile in memory, run main, capture stdout. */
    static String runAsZeppelinWould(String code) throws Exception {
        Matcher m = MAIN_CLASS.matcher(code);
        if (!m.find()) {
            fail("no public class with a main method in:\n" + code);
        }
        String className = "C" + UUID.randomUUID().toString().replace("-", "");
        String renamed = code.replaceAll("\\b" + Pattern.quote(m.group(1)) + "\\b", className);
        Map<String, byte[]> classes = compile(className, renamed);
        ClassLoader loader = new ClassLoader(ZeppelinNotebooksTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        Method main = loader.loadClass(className).getMethod("main", String[].class);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            throw new AssertionError("paragraph failed: " + e.getCause(), e.getCause());
        } finally {
            System.setOut(old);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> compile(String className, String code) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, byte[]> classes = new HashMap<>();
        try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            ForwardingJavaFileManager<StandardJavaFileManager> memory = new ForwardingJavaFileManager<>(standard) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                                                           FileObject sibling) {
                    return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension),
                            kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            return new ByteArrayOutputStream() {
                                @Override
                                public void close() {
                                    classes.put(name, toByteArray());
                                }
                            };
                        }
                    };
                }
            };
            JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            };
            List<String> options = List.of("-classpath", classpath(), "-proc:none", "-Xlint:none");
            boolean ok = javac.getTask(null, memory, diagnostics, options, null, List.of(source)).call();
            if (!ok) {
                fail("paragraph does not compile: " + diagnostics.getDiagnostics());
            }
        }
        return classes;
    }

    /** The test classpath, with the entries of surefire's manifest-only jar spelled out. */
    private static String classpath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(entry);
            if (entry.endsWith(".jar") && new File(entry).getName().startsWith("surefirebooter")) {
                try (JarFile jar = new JarFile(entry)) {
                    Manifest manifest = jar.getManifest();
                    String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String url : cp.trim().split("\\s+")) {
                            entries.add(new File(URI.create(new File(entry).toURI().resolve(url).toString()))
                                    .getPath());
                        }
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
