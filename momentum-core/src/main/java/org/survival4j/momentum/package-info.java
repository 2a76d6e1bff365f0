/**
 * Momentum training, framework-neutral and written once: the {@link org.survival4j.momentum.MomentumEngine}
 * (memory bank, EMA target, counters, undo of a diverged step), its {@link org.survival4j.momentum.MomentumConfig},
 * the {@link org.survival4j.momentum.BankRows} a batch is pooled with, the {@link org.survival4j.momentum.NetworkPair}
 * through which it reaches the networks, and the {@link org.survival4j.momentum.MomentumCheckpoint} format.
 * The front ends only adapt their framework's hooks to the engine: DL4J's {@code Momentum} (in
 * {@code dl4j-integration}) and {@code org.survival4j.samediff.SameDiffMomentum}.
 */
package org.survival4j.momentum;
