package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading the embedded R exports; lung.csv has missing values in several columns. */
class CsvTableTest {

    @Test
    void readsQuotedHeadersAndNumbers() {
        CsvTable lung = CsvTable.dataset("lung.csv");

        assertEquals(228, lung.rows());
        assertEquals(306.0, lung.numeric("time")[0]);
    }

    @Test
    void missingValuesAreReportedWithColumnAndRows() {
        CsvTable lung = CsvTable.dataset("lung.csv");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lung.numeric("meal.cal"));

        assertTrue(e.getMessage().startsWith("lung.csv: missing values (empty or NA): 'meal.cal' 47 in rows 3, 5, 12, "),
                e.getMessage());
    }

    @Test
    void unknownColumnIsReportedWithTheColumnsThatExist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvTable.dataset("gbsg.csv").numeric("rtime"));

        assertTrue(e.getMessage().contains("gbsg.csv has no column 'rtime'"), e.getMessage());
        assertTrue(e.getMessage().contains("rfstime"), e.getMessage());
    }
}
