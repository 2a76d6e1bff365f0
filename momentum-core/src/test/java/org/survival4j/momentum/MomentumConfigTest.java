package org.survival4j.momentum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MomentumConfigTest {
    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> MomentumConfig.builder().batchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> MomentumConfig.builder().steps(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> MomentumConfig.builder().batchSize(1 << 16).steps(1 << 16).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MomentumConfig.builder().rate(1.5).build());
        assertEquals("rate = 1.5: expected [0, 1]", e.getMessage());
    }

    @Test
    void defaultsAreTorchsurvsAndTheBankHoldsStepsBatches() {
        MomentumConfig config = MomentumConfig.builder().build();
        assertEquals(16, config.batchSize());
        assertEquals(10, config.steps());
        assertEquals(0.999, config.rate());
        assertEquals(160, config.bankCapacity());
        assertEquals(MomentumConfig.builder().batchSize(16).steps(10).rate(0.999).build(), config);
    }
}
