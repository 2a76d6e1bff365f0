package org.survival4j.momentum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.loss.CoxPartialLikelihood;

class MemoryBankTest {
    @Test
    void overwritesTheOldestRows() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 1);
        bank.add(new double[][] {{0.1}, {0.2}, {0.3}}, new double[] {5, 6, 7}, new double[] {1, 0, 1});
        bank.add(new double[][] {{0.4}, {0.5}}, new double[] {8, 9}, new double[] {0, 1});
        assertEquals(4, bank.size());
        assertArrayEquals(new double[][] {{0.2, 6, 0}, {0.3, 7, 1}, {0.4, 8, 0}, {0.5, 9, 1}},
                bank.toArray().toDoubleMatrix());
    }

    @Test
    void newestGivesTheNewestRowsOldestFirstAcrossTheWrap() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 2);
        bank.add(new double[][] {{1, 10}, {2, 20}, {3, 30}}, new double[] {1, 2, 3}, new double[] {1, 0, 1});
        bank.add(new double[][] {{4, 40}, {5, 50}}, new double[] {4, 5}, new double[] {0, 1}); // rows 2..5 remain
        BankRows three = bank.newest(3);
        assertArrayEquals(new double[] {3, 30, 4, 40, 5, 50}, three.outputValues());
        assertArrayEquals(new double[] {3, 4, 5}, three.timeThen(new double[0]));
        assertArrayEquals(new double[] {1, 0, 1}, three.eventThen(new double[0]));
        assertEquals(0, bank.newest(0).size());
        assertThrows(IllegalArgumentException.class, () -> bank.newest(5));
    }

    @Test
    void emptyBankHasNoRowsAndIsAValidLossInput() {
        MemoryBank bank = MemoryBank.ofCapacity(3, 2);
        assertEquals(0, bank.size());
        assertArrayEquals(new long[] {0, 4}, bank.toArray().shape());
        BankRows none = bank.newest(0);
        assertEquals(0.0, CoxPartialLikelihood.efron().valueAndGradient(new double[0], none.timeThen(new double[0]),
                none.eventThen(new double[0]), null, 0).value());
        bank.add(new double[0][], new double[0], new double[0]);
        assertEquals(0, bank.size());
    }

    @Test
    void batchLargerThanCapacityKeepsItsNewestRows() {
        MemoryBank bank = MemoryBank.ofCapacity(2, 1);
        bank.add(new double[][] {{1}, {2}, {3}}, new double[] {1, 2, 3}, new double[] {1, 1, 0});
        assertArrayEquals(new double[][] {{2, 2, 1}, {3, 3, 0}}, bank.toArray().toDoubleMatrix());
    }

    @Test
    void storesCopiesNotReferences() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 2);
        double[][] out = {{1, 2}};
        double[] time = {3};
        bank.add(out, time, new double[] {1});
        out[0][0] = 99;
        time[0] = 99;
        assertArrayEquals(new double[][] {{1, 2, 3, 1}}, bank.toArray().toDoubleMatrix());
    }

    @Test
    void rejectedAddLeavesTheBankUnchanged() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 1);
        bank.add(new double[][] {{1}}, new double[] {1}, new double[] {1});
        IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{2}, {3}}, new double[] {2, -1}, new double[] {1, 1}));
        assertTrue(time.getMessage().startsWith("time[1] = -1.0"), time.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{2}, {Double.NaN}}, new double[] {2, 3}, new double[] {1, 1}));
        assertTrue(nan.getMessage().startsWith("outputs[1, 0] = NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{2}, {3, 4}}, new double[] {2, 3}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{2}}, new double[] {2}, new double[] {0.5}));
        assertEquals(1, bank.size());
        assertArrayEquals(new double[][] {{1, 1, 1}}, bank.toArray().toDoubleMatrix());
    }

    @Test
    void rejectsOutputsWithTheWrongColumnCount() {
        MemoryBank bank = MemoryBank.ofCapacity(4, 2);
        assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{0}, {0}}, new double[] {1, 1}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{0, 0, 0}}, new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> MemoryBank.ofCapacity(4, MemoryBank.MAX_COLUMNS + 1));
    }

    @Test
    void writtenAndReadBankHasTheSameRowsBitForBit() throws IOException {
        MemoryBank bank = MemoryBank.ofCapacity(3, 2);
        for (int i = 0; i < 5; i++) { // wraps around: the stored order differs from the ring order
            bank.add(new double[][] {{0.1 * i + 1e-17, Math.PI / (i + 1)}}, new double[] {i + 0.3},
                    new double[] {i % 2});
        }
        MemoryBank copy = MemoryBank.read(new ByteArrayInputStream(bytes(bank)), 3);
        assertEquals(2, copy.columns());
        assertArrayEquals(bank.toArray().toDoubleMatrix(), copy.toArray().toDoubleMatrix());
        // and they keep evolving identically
        bank.add(new double[][] {{7, 7}}, new double[] {7}, new double[] {1});
        copy.add(new double[][] {{7, 7}}, new double[] {7}, new double[] {1});
        assertArrayEquals(bank.toArray().toDoubleMatrix(), copy.toArray().toDoubleMatrix());
    }

    @Test
    void entryTimesAreKeptWrittenAndReadWithTheirRows() throws IOException {
        MemoryBank bank = MemoryBank.ofCapacity(3, 1, true);
        for (int i = 0; i < 5; i++) {
            bank.add(new double[][] {{0.1 * i}}, new double[] {0.25 * i}, new double[] {i + 1}, new double[] {i % 2});
        }
        assertArrayEquals(new double[] {0.5, 0.75, 1.0}, bank.newest(3).start);
        MemoryBank copy = MemoryBank.read(new ByteArrayInputStream(bytes(bank)), 3);
        assertTrue(copy.entryTimes());
        assertArrayEquals(bank.newest(3).start, copy.newest(3).start);
        assertArrayEquals(bank.toArray().toDoubleMatrix(), copy.toArray().toDoubleMatrix());
        assertFalse(MemoryBank.read(new ByteArrayInputStream(bytes(MemoryBank.ofCapacity(3, 1))), 3).entryTimes());
    }

    @Test
    void rowsWithAndWithoutEntryTimesDoNotMixAndBadStartsAreRefused() throws IOException {
        MemoryBank counting = MemoryBank.ofCapacity(4, 1, true);
        double[][] out = {{0.5}};
        assertThrows(IllegalArgumentException.class, () -> counting.add(out, new double[] {1}, new double[] {1}));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> counting.add(out, new double[] {2}, new double[] {2}, new double[] {1}));
        assertTrue(empty.getMessage().contains("row 0: start 2.0 is not below stop 2.0"), empty.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MemoryBank.ofCapacity(4, 1).add(out, new double[] {0}, new double[] {1}, new double[] {1}));
        assertEquals(0, counting.size());

        counting.add(out, new double[] {1}, new double[] {2}, new double[] {1});
        byte[] damaged = bytes(counting);
        ByteBuffer.wrap(damaged).putDouble(20, 3.0); // the start, after the tag, columns, rows and the output
        IOException e = assertThrows(IOException.class, () -> MemoryBank.read(new ByteArrayInputStream(damaged), 4));
        assertTrue(e.getMessage().contains("start 3.0 is not below stop 2.0"), e.getMessage());
    }

    @Test
    void emptyBankRoundTrips() throws IOException {
        MemoryBank copy = MemoryBank.read(new ByteArrayInputStream(bytes(MemoryBank.ofCapacity(4, 2))), 4);
        assertEquals(0, copy.size());
        assertEquals(2, copy.columns());
    }

    @Test
    void readingMoreRowsThanTheCapacityOrAnotherFormatFails() throws IOException {
        MemoryBank bank = MemoryBank.ofCapacity(3, 1);
        bank.add(new double[][] {{1}, {2}, {3}}, new double[] {1, 2, 3}, new double[] {1, 0, 1});
        IOException small = assertThrows(IOException.class,
                () -> MemoryBank.read(new ByteArrayInputStream(bytes(bank)), 2));
        assertTrue(small.getMessage().contains("capacity 2"), small.getMessage());
        IOException garbage = assertThrows(IOException.class,
                () -> MemoryBank.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 3));
        assertTrue(garbage.getMessage().contains("not a memory bank"), garbage.getMessage());
    }

    @Test
    void aDamagedFileIsAnIOExceptionNotAnAllocationOrAnotherError() throws IOException {
        byte[] huge = bytes(MemoryBank.ofCapacity(64, 1));
        ByteBuffer.wrap(huge).putInt(4, Integer.MAX_VALUE).putInt(8, 64); // columns, rows
        IOException columns = assertThrows(IOException.class,
                () -> MemoryBank.read(new ByteArrayInputStream(huge), 64));
        assertTrue(columns.getMessage().contains("2147483647 output columns"), columns.getMessage());

        MemoryBank bank = MemoryBank.ofCapacity(2, 1);
        bank.add(new double[][] {{0.5}, {1.5}}, new double[] {1, 2}, new double[] {1, 0});
        byte[] nan = bytes(bank);
        ByteBuffer.wrap(nan).putDouble(12, Double.NaN); // the first output
        IOException value = assertThrows(IOException.class, () -> MemoryBank.read(new ByteArrayInputStream(nan), 2));
        assertTrue(value.getMessage().startsWith("damaged memory bank: outputs[0, 0] = NaN"), value.getMessage());
    }

    /**
     * Competing risks: the event column keeps each row's cause; the bank is written in layout MBK3
     * (the largest cause and the entry-time flag in the header) and read back bit for bit, while a
     * bank of event indicators keeps the first layout, MBK1, so that older readers still read it.
     */
    @Test
    void causesAreKeptWrittenAndReadWithTheirRows() throws IOException {
        for (boolean entryTimes : new boolean[] {false, true}) {
            MemoryBank bank = MemoryBank.ofCapacity(3, 2, entryTimes, 2);
            for (int i = 0; i < 4; i++) {
                bank.add(new double[][] {{0.1 * i + 1e-17, Math.E / (i + 1)}}, entryTimes ? new double[] {0.5 * i}
                        : null, new double[] {i + 1}, new double[] {i % 3});
            }
            assertArrayEquals(new double[] {1, 2, 0}, bank.newest(3).eventThen(new double[0]));
            byte[] written = bytes(bank);
            assertEquals(0x4D424B33, ByteBuffer.wrap(written).getInt(0), "MBK3");
            MemoryBank copy = MemoryBank.read(new ByteArrayInputStream(written), 3);
            assertEquals(2, copy.causes());
            assertEquals(entryTimes, copy.entryTimes());
            assertArrayEquals(bank.toArray().toDoubleMatrix(), copy.toArray().toDoubleMatrix());
            if (entryTimes) {
                assertArrayEquals(bank.newest(3).start, copy.newest(3).start);
            }
        }
        assertEquals(0x4D424B31, ByteBuffer.wrap(bytes(MemoryBank.ofCapacity(3, 1))).getInt(0), "MBK1");
        assertEquals(1, MemoryBank.read(new ByteArrayInputStream(bytes(MemoryBank.ofCapacity(3, 1))), 3).causes());
    }

    @Test
    void causesAboveTheLargestOrNotWholeAreRefused() throws IOException {
        MemoryBank bank = MemoryBank.ofCapacity(4, 2, false, 2);
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{0, 0}}, new double[] {1}, new double[] {3}));
        assertTrue(three.getMessage().startsWith("cause[0] = 3.0: causes must be whole numbers from 0 (censored) to 2"),
                three.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> bank.add(new double[][] {{0, 0}}, new double[] {1}, new double[] {1.5}));
        MemoryBank any = MemoryBank.ofCapacity(4, 1, false, SurvivalArguments.ANY_CAUSE); // Fine-Gray
        any.add(new double[][] {{0}}, new double[] {1}, new double[] {7});
        assertArrayEquals(new double[] {7}, any.newest(1).eventThen(new double[0]));
        assertEquals(0, bank.size());

        bank.add(new double[][] {{0, 0}}, new double[] {1}, new double[] {2});
        byte[] damaged = bytes(bank);
        ByteBuffer.wrap(damaged).putDouble(20 + 3 * 8, 5.0); // header of 5 ints, two outputs, the time: the cause
        IOException code = assertThrows(IOException.class, () -> MemoryBank.read(new ByteArrayInputStream(damaged), 4));
        assertTrue(code.getMessage().startsWith("damaged memory bank: cause[0] = 5.0"), code.getMessage());
        byte[] header = bytes(bank);
        ByteBuffer.wrap(header).putInt(12, 1); // largest cause 1: event indicators are written as MBK1
        IOException one = assertThrows(IOException.class, () -> MemoryBank.read(new ByteArrayInputStream(header), 4));
        assertTrue(one.getMessage().contains("largest cause 1"), one.getMessage());
    }

    private static byte[] bytes(MemoryBank bank) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bank.write(bytes);
        return bytes.toByteArray();
    }
}
