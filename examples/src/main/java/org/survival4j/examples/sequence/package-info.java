/**
 * A runnable example of momentum training on sequences: padded visit histories with a features
 * mask, an LSTM read at the last real visit, and a Cox output ({@link
 * org.survival4j.examples.sequence.VisitSequences}).
 */
package org.survival4j.examples.sequence;
