/**
 * JMH benchmarks of the survival loss kernels. Run them with the {@code bench} profile of this
 * module; {@code docs/benchmarks.md} gives the command and the recorded results.
 */
package org.survival4j.benchmarks;
