package org.survival4j.momentum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.loss.CoxPartialLikelihood;

class MemoryBankTest {
    @Test
    void javadocExampleOverwritesTheOldestRow() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 1);
        bank.add(Nd4j.createFromArray(new double[][] {{0.1}, {0.2}, {0.3}}),
                Nd4j.createFromArray(5.0, 6.0, 7.0), Nd4j.createFromArray(1.0, 0.0, 1.0));
        bank.add(Nd4j.createFromArray(new double[][] {{0.4}, {0.5}}),
                Nd4j.createFromArray(8.0, 9.0), Nd4j.createFromArray(0.0, 1.0));
        assertEquals(4, bank.size());
        assertArrayEquals(new double[] {6, 7, 8, 9}, bank.time().toDoubleVector());
        assertArrayEquals(new double[] {0.2, 0.3, 0.4, 0.5}, bank.outputs().data().asDouble());
        assertArrayEquals(new double[] {0, 1, 0, 1}, bank.event().toDoubleVector());
    }

    @Test
    void copyNewestGivesTheNewestRowsOldestFirstAcrossTheWrap() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 2);
        bank.add(Nd4j.createFromArray(new double[][] {{1, 10}, {2, 20}, {3, 30}}), Nd4j.createFromArray(1.0, 2.0, 3.0),
                Nd4j.createFromArray(1.0, 0.0, 1.0));
        bank.add(Nd4j.createFromArray(new double[][] {{4, 40}, {5, 50}}), Nd4j.createFromArray(4.0, 5.0),
                Nd4j.createFromArray(0.0, 1.0)); // the ring wrapped: rows 2..5 remain
        double[] out = new double[6];
        double[] time = new double[4];
        double[] event = new double[4];
        bank.copyNewest(3, out, time, event);
        assertArrayEquals(new double[] {3, 30, 4, 40, 5, 50}, out);
        assertArrayEquals(new double[] {3, 4, 5, 0}, time);
        assertArrayEquals(new double[] {1, 0, 1, 0}, event);
        bank.copyNewest(0, out, time, event); // nothing copied
        assertArrayEquals(new double[] {3, 4, 5, 0}, time);
        assertThrows(IllegalArgumentException.class, () -> bank.copyNewest(5, new double[10], time, event));
    }

    @Test
    void emptyBankHasNoRows() {
        MemoryBank bank = MemoryBank.ofCapacity(3, 2);
        assertEquals(0, bank.size());
        assertArrayEquals(new long[] {0, 2}, bank.outputs().shape());
        assertArrayEquals(new long[] {0}, bank.time().shape());
        assertArrayEquals(new long[] {0}, bank.event().shape());
    }

    @Test
    void anEmptyBankIsAValidLossInputAndAcceptsAnEmptyBatch() {
        MemoryBank bank = MemoryBank.ofCapacity(3, 1);
        assertEquals(0.0, CoxPartialLikelihood.efron().value(bank.outputs(), bank.time(), bank.event()));
        bank.add(bank.outputs(), bank.time(), bank.event());
        bank.add(Nd4j.createFromArray(new double[0]), Nd4j.createFromArray(new double[0]),
                Nd4j.createFromArray(new double[0])); // ND4J shapes these []
        assertEquals(0, bank.size());
    }

    @Test
    void batchLargerThanCapacityKeepsItsNewestRows() {
        MemoryBank bank = MemoryBank.ofCapacity(2, 1);
        bank.add(Nd4j.createFromArray(new double[][] {{1}, {2}, {3}}), Nd4j.createFromArray(1.0, 2.0, 3.0),
                Nd4j.createFromArray(1.0, 1.0, 0.0));
        assertArrayEquals(new double[] {2, 3}, bank.time().toDoubleVector());
        assertArrayEquals(new double[] {1, 0}, bank.event().toDoubleVector());
    }

    @Test
    void storesCopiesNotReferences() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 2);
        INDArray out = Nd4j.createFromArray(new double[][] {{1, 2}});
        INDArray time = Nd4j.createFromArray(3.0);
        bank.add(out, time, Nd4j.createFromArray(1.0));
        out.assign(99);
        time.assign(99);
        assertArrayEquals(new double[] {1, 2}, bank.outputs().data().asDouble());
        assertArrayEquals(new double[] {3}, bank.time().toDoubleVector());
    }

    @Test
    void rejectedAddLeavesTheBankUnchanged() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 1);
        bank.add(Nd4j.createFromArray(new double[][] {{1}}), Nd4j.createFromArray(1.0), Nd4j.createFromArray(1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bank.add(Nd4j.createFromArray(new double[][] {{2}, {3}}), Nd4j.createFromArray(2.0, -1.0),
                        Nd4j.createFromArray(1.0, 1.0)));
        assertTrue(e.getMessage().startsWith("time[1] = -1.0"), e.getMessage());
        assertEquals(1, bank.size());
        assertArrayEquals(new double[] {1}, bank.time().toDoubleVector());
    }

    @Test
    void javaArrayAddStoresWhatTheArrayFormStores() {
        MemoryBank fromArrays = MemoryBank.ofCapacity(3, 2);
        MemoryBank fromNd4j = MemoryBank.ofCapacity(3, 2);
        double[][] out = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
        double[] time = {1, 2, 3, 4};
        double[] event = {1, 0, 1, 1};
        fromArrays.add(out, time, event);
        fromNd4j.add(Nd4j.createFromArray(out), Nd4j.createFromArray(time), Nd4j.createFromArray(event));
        out[3][0] = 99; // copied, not referenced
        assertArrayEquals(fromNd4j.toArray().data().asDouble(), fromArrays.toArray().data().asDouble(), 0.0);
        assertArrayEquals(new double[] {3, 4, 5, 6, 7, 8}, fromArrays.outputs().data().asDouble());
    }

    @Test
    void rejectedJavaArrayAddLeavesTheBankUnchanged() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 1);
        bank.add(new double[][] {{1}}, new double[] {1}, new double[] {1});
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{2}, {Double.NaN}}, new double[] {2, 3}, new double[] {1, 1}));
        assertTrue(nan.getMessage().startsWith("outputs[1, 0] = NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{2}, {3, 4}}, new double[] {2, 3}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{2}}, new double[] {2}, new double[] {0.5}));
        assertEquals(1, bank.size());
        assertArrayEquals(new double[] {1}, bank.time().toDoubleVector());
    }

    @Test
    void rejectsOutputsWithTheWrongColumnCount() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 2);
        assertThrows(IllegalArgumentException.class,
                () -> bank.add(Nd4j.zeros(2, 1), Nd4j.ones(2), Nd4j.ones(2)));
        assertThrows(IllegalArgumentException.class,
                () -> bank.add(Nd4j.zeros(2, 3), Nd4j.ones(2), Nd4j.ones(2)));
    }

    @Test
    void writtenAndReadBankHasTheSameRowsBitForBit() throws IOException {
        MemoryBank bank = MemoryBank.ofCapacity(3, 2);
        for (int i = 0; i < 5; i++) { // wraps around: the stored order differs from the ring order
            bank.add(Nd4j.createFromArray(new double[][] {{0.1 * i + 1e-17, Math.PI / (i + 1)}}),
                    Nd4j.createFromArray(i + 0.3), Nd4j.createFromArray((double) (i % 2)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bank.write(bytes);

        MemoryBank copy = MemoryBank.read(new ByteArrayInputStream(bytes.toByteArray()), 3);

        assertEquals(2, copy.columns());
        assertArrayEquals(bank.outputs().toDoubleMatrix(), copy.outputs().toDoubleMatrix());
        assertArrayEquals(bank.time().toDoubleVector(), copy.time().toDoubleVector());
        assertArrayEquals(bank.event().toDoubleVector(), copy.event().toDoubleVector());
    }

    @Test
    void emptyBankRoundTrips() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MemoryBank.ofCapacity(4, 2).write(bytes);

        MemoryBank copy = MemoryBank.read(new ByteArrayInputStream(bytes.toByteArray()), 4);

        assertEquals(0, copy.size());
        assertEquals(2, copy.columns());
    }

    @Test
    void readingMoreRowsThanTheCapacityOrAnotherFormatFails() throws IOException {
        MemoryBank bank = MemoryBank.ofCapacity(3, 1);
        bank.add(Nd4j.createFromArray(new double[][] {{1}, {2}, {3}}), Nd4j.createFromArray(1.0, 2.0, 3.0),
                Nd4j.createFromArray(1.0, 0.0, 1.0));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bank.write(bytes);

        IOException small = assertThrows(IOException.class,
                () -> MemoryBank.read(new ByteArrayInputStream(bytes.toByteArray()), 2));
        assertTrue(small.getMessage().contains("capacity 2"), small.getMessage());
        IOException garbage = assertThrows(IOException.class,
                () -> MemoryBank.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 3));
        assertTrue(garbage.getMessage().contains("not a memory bank"), garbage.getMessage());
    }

    @Test
    void aDamagedFileIsAnIOExceptionNotAnAllocationOrAnotherError() throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        MemoryBank.ofCapacity(64, 1).write(header);
        byte[] huge = header.toByteArray();
        ByteBuffer.wrap(huge).putInt(4, Integer.MAX_VALUE).putInt(8, 64); // columns, rows
        IOException columns = assertThrows(IOException.class,
                () -> MemoryBank.read(new ByteArrayInputStream(huge), 64));
        assertTrue(columns.getMessage().contains("2147483647 output columns"), columns.getMessage());

        MemoryBank bank = MemoryBank.ofCapacity(2, 1);
        bank.add(new double[][] {{0.5}, {1.5}}, new double[] {1, 2}, new double[] {1, 0});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bank.write(bytes);
        byte[] nan = bytes.toByteArray();
        ByteBuffer.wrap(nan).putDouble(12, Double.NaN); // the first output
        IOException value = assertThrows(IOException.class, () -> MemoryBank.read(new ByteArrayInputStream(nan), 2));
        assertTrue(value.getMessage().startsWith("damaged memory bank: outputs[0, 0] = NaN"), value.getMessage());
    }
}
