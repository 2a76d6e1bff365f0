/**
 * The D-calibration simulation study (issue 35): how often D-calibration passes a true model and
 * rejects a wrong one, on data sets simulated from a known Weibull proportional-hazards model. Run
 * it with {@code java -cp ... org.survival4j.examples.calibration.DCalibrationStudy}; see
 * {@code docs/metrics.md}, "D-calibration".
 */
package org.survival4j.examples.calibration;
