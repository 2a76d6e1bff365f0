package org.survival4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TimeGroupsTest {
    @Test
    void javadocExample() {
        TimeGroups g = TimeGroups.of(new double[] {5, 2, 5, 9}, new boolean[] {true, false, true, false}, null);
        assertEquals(3, g.groupCount());
        assertEquals(2, g.eventsInGroup(1));
        assertEquals(5.0, g.groupTime(1));
        assertEquals(2, g.events());
    }

    @Test
    void rowsAreOrderedByStratumThenTimeAndTiesShareAGroup() {
        double[] time = {3, 1, 3, 2, 1, 3};
        boolean[] event = {true, true, false, false, true, true};
        int[] strata = {7, -1, 7, 7, 7, -1};
        TimeGroups g = TimeGroups.of(time, event, strata);
        int[] order = IntStream.range(0, 6).map(g::row).toArray();
        assertArrayEquals(new int[] {1, 5, 4, 3, 0, 2}, order); // stratum -1: t 1, 3; stratum 7: t 1, 2, 3, 3
        assertEquals(2, g.strataCount());
        assertEquals(5, g.groupCount());
        assertEquals(0, g.stratumStart(0));
        assertEquals(2, g.stratumStart(1));
        assertEquals(g.groupOf(0), g.groupOf(2));      // tied at 3 in stratum 7, event and censored
        assertEquals(1, g.eventsInGroup(g.groupOf(0)));
        assertEquals(2, g.groupEnd(g.groupOf(0)) - g.groupStart(g.groupOf(0)));
        assertEquals(4, g.events());
    }

    @Test
    void emptyInputHasNoGroups() {
        TimeGroups g = TimeGroups.of(new double[0], new boolean[0], null);
        assertEquals(0, g.groupCount());
        assertEquals(0, g.rows());
    }
}
