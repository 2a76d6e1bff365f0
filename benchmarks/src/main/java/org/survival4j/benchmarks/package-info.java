/**
 * Benchmarks: JMH benchmarks of the loss kernels, the metrics and the training steps (run them with
 * the {@code bench} profile of this module), and plain-Java harnesses for what JMH measures poorly
 * on a shared machine (interleaved momentum / plain ratios, the distribution of single step times,
 * the memory soak). {@code docs/benchmarks.md} gives the commands and the recorded results.
 */
package org.survival4j.benchmarks;
