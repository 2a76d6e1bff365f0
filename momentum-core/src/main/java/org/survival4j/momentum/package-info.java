/**
 * The framework-free parts of momentum training: the {@link org.survival4j.momentum.MemoryBank}
 * of target outputs and the {@link org.survival4j.momentum.ExponentialMovingAverage} of the
 * target parameters. The DL4J and SameDiff training loops that use them live in
 * {@code dl4j-integration} and {@code org.survival4j.samediff}.
 */
package org.survival4j.momentum;
