package org.survival4j.momentum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.testing.MomentumTrace;
import org.survival4j.testing.ZipEntries;

/**
 * The checkpoint format shared by the front ends, on an engine over {@link PlainNetworks}: what it
 * keeps, and that every damaged or foreign part is refused with the file and the part named.
 */
class MomentumCheckpointTest {
    private static final MomentumConfig CONFIG = MomentumConfig.builder().batchSize(2).steps(3).rate(0.9).build();

    @TempDir
    Path dir;

    @Test
    void keepsBankIterationsAndLastLossIncludingNonFiniteLosses() throws IOException {
        File file = dir.resolve("engine.zip").toFile();
        for (double loss : new double[] {Double.POSITIVE_INFINITY, Double.NaN, 1.25}) {
            MomentumEngine engine = trainedEngine(4, loss);
            MomentumCheckpoint.write(file, "Plain", engine, Map.of("extra", "kept"), Map.of());
            MomentumCheckpoint saved = MomentumCheckpoint.read(file, "Plain");
            MomentumEngine restored = new MomentumEngine(saved.config(), networks(), true);
            saved.restore(restored, 1);
            assertEquals(CONFIG, saved.config());
            assertEquals("kept", saved.setting("extra").asText());
            assertEquals(loss, restored.lastLoss());
            assertEquals(4, restored.iterations());
            assertEquals(engine.bankRows(), restored.bankRows());
            assertArrayEquals(engine.bankRowsFor(1).outputValues(), restored.bankRowsFor(1).outputValues());
        }
    }

    @Test
    void refusesAnotherFrontEndsOrANewerFormatNamingWhoWroteIt() throws IOException {
        File file = dir.resolve("engine.zip").toFile();
        MomentumCheckpoint.write(file, "SameDiff", trainedEngine(1, 1), Map.of(), Map.of());
        IOException other = assertThrows(IOException.class, () -> MomentumCheckpoint.read(file, "MultiLayerNetwork"));
        assertTrue(other.getMessage().contains("a SameDiff model"), other.getMessage());

        File newer = dir.resolve("newer.zip").toFile();
        ZipEntries.rewrite(file, newer, "momentum.json",
                json(file).replace("\"format\" : 2", "\"format\" : 3").getBytes(StandardCharsets.UTF_8));
        IOException format = assertThrows(IOException.class, () -> MomentumCheckpoint.read(newer, "SameDiff"));
        assertTrue(format.getMessage().contains("format 3 (written by survival4j "), format.getMessage());
    }

    @Test
    void refusesDamagedPartsNamingFileAndPart() throws IOException {
        File file = dir.resolve("engine.zip").toFile();
        MomentumCheckpoint.write(file, "Plain", trainedEngine(2, 1), Map.of(), Map.of());
        String json = json(file);

        File truncated = dir.resolve("truncated.zip").toFile();
        byte[] bytes = Files.readAllBytes(file.toPath());
        Files.write(truncated.toPath(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IOException zip = assertThrows(IOException.class, () -> read(truncated));
        assertTrue(zip.getMessage().startsWith(truncated.toString()), zip.getMessage());

        assertDamaged("rate.zip", "momentum.json", json.replace("\"rate\" : 0.9", "\"rate\" : \"fast\""),
                "\"rate\" = \"fast\", not a number");
        assertDamaged("rows.zip", "momentum.json", json.replace("\"bankRows\" : 4", "\"bankRows\" : 3"),
                "bank.bin holds 4 rows but momentum.json says 3");
        assertDamaged("bank.zip", "bank.bin", "not a bank", "bank.bin");
        assertDamaged("json.zip", "momentum.json", "{", "momentum.json is not valid JSON");
    }

    @Test
    void refusesInconsistentOrDamagedFormatOneSettings() throws IOException {
        File file = dir.resolve("engine.zip").toFile();
        MomentumCheckpoint.write(file, "MultiLayerNetwork", trainedEngine(2, 1), Map.of(), Map.of());
        String v2 = json(file);
        String v1 = v2.replace("\"format\" : 2", "\"format\" : 1").replace("\"frontEnd\"", "\"network\"")
                .replaceAll(",\\s*\"bankRows\" : 4", "");
        File nullNetwork = dir.resolve("null-network.zip").toFile();
        String nullKind = v1.replace("\"network\" : \"MultiLayerNetwork\"", "\"network\" : null");
        ZipEntries.rewrite(file, nullNetwork, "momentum.json", nullKind.getBytes(StandardCharsets.UTF_8));
        IOException network = assertThrows(IOException.class, () -> MomentumCheckpoint.read(nullNetwork, "SameDiff"));
        assertTrue(network.getMessage().endsWith("\"network\" = null, not a network kind"), network.getMessage());

        File noBank = dir.resolve("no-bank.zip").toFile(); // format 1 wrote no row count: the bank is required
        ZipEntries.rewrite(file, noBank, "momentum.json", v1.getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> entries = ZipEntries.read(noBank);
        entries.remove("bank.bin");
        ZipEntries.write(noBank, entries);
        MomentumCheckpoint saved = MomentumCheckpoint.read(noBank, "MultiLayerNetwork");
        IOException bank = assertThrows(IOException.class,
                () -> saved.restore(new MomentumEngine(CONFIG, networks(), true), 1));
        assertTrue(bank.getMessage().endsWith("it has no bank.bin although 2 iterations were trained"),
                bank.getMessage());
    }

    @Test
    void refusesABankOfAnotherWidthThanTheLoss() throws IOException {
        File file = dir.resolve("engine.zip").toFile();
        MomentumCheckpoint.write(file, "Plain", trainedEngine(2, 1), Map.of(), Map.of());
        MomentumCheckpoint saved = MomentumCheckpoint.read(file, "Plain");
        IOException e = assertThrows(IOException.class,
                () -> saved.restore(new MomentumEngine(CONFIG, networks(), true), 2));
        assertTrue(e.getMessage().contains("bank.bin has 1 output columns but the loss reads 2"), e.getMessage());
    }

    /** A bank of causes is not restored under a loss of event indicators, nor one of K causes under another K. */
    @Test
    void refusesABankOfOtherEventCodesThanTheLoss() throws IOException {
        PlainNetworks networks = networks();
        MomentumEngine causes = new MomentumEngine(CONFIG, networks, true, 2);
        networks.batch = Nd4j.rand(DataType.FLOAT, 2, 8);
        causes.stepDone(new double[] {1, 2}, new double[] {2, 1}, () -> 1);
        File file = dir.resolve("causes.zip").toFile();
        MomentumCheckpoint.write(file, "Plain", causes, Map.of(), Map.of());
        MomentumCheckpoint saved = MomentumCheckpoint.read(file, "Plain");
        IOException indicators = assertThrows(IOException.class,
                () -> saved.restore(new MomentumEngine(CONFIG, networks(), true), 1));
        assertTrue(indicators.getMessage().endsWith("bank.bin holds causes 0..2 but the loss takes events 0/1"),
                indicators.getMessage());
        IOException three = assertThrows(IOException.class,
                () -> saved.restore(new MomentumEngine(CONFIG, networks(), true, 3), 1));
        assertTrue(three.getMessage().endsWith("but the loss takes causes 0..3"), three.getMessage());
        MomentumEngine restored = new MomentumEngine(CONFIG, networks(), true, 2);
        saved.restore(restored, 1);
        assertEquals(causes.bankRows(), restored.bankRows());
    }

    @Test
    void refusesToReplaceADirectory() {
        IOException e = assertThrows(IOException.class,
                () -> MomentumCheckpoint.write(dir.toFile(), "Plain", trainedEngine(1, 1), Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertTrue(Files.isDirectory(dir));
    }

    private void assertDamaged(String name, String entry, String content, String message) throws IOException {
        File damaged = dir.resolve(name).toFile();
        ZipEntries.rewrite(dir.resolve("engine.zip").toFile(), damaged, entry,
                content.getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> read(damaged));
        assertTrue(e.getMessage().startsWith(damaged + " is damaged: ") && e.getMessage().contains(message),
                e.getMessage());
    }

    private static void read(File file) throws IOException {
        MomentumCheckpoint.read(file, "Plain").restore(new MomentumEngine(CONFIG, networks(), true), 1);
    }

    /** An engine after {@code steps} steps of 2 rows, the last of them reporting {@code loss}. */
    private static MomentumEngine trainedEngine(int steps, double loss) {
        PlainNetworks networks = networks();
        MomentumEngine engine = new MomentumEngine(CONFIG, networks, true);
        for (int i = 0; i < steps; i++) {
            networks.batch = Nd4j.rand(DataType.FLOAT, 2, 8);
            engine.stepDone(new double[] {i, i + 1}, new double[] {1, 0}, () -> loss);
        }
        return engine;
    }

    private static PlainNetworks networks() {
        return new PlainNetworks(MomentumTrace.load("cox_b16_s4").init());
    }

    private static String json(File file) throws IOException {
        return new String(ZipEntries.read(file).get("momentum.json"), StandardCharsets.UTF_8);
    }

}
