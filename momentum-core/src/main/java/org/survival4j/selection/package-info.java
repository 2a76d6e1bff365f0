/**
 * Model selection: splits of the training rows for cross-validation ({@link org.survival4j.selection.CrossValidationFolds}).
 */
package org.survival4j.selection;
