package org.survival4j.examples;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Patients with covariates and a right-censored survival time.
 *
 * @param name a short name for printing
 * @param covariates the covariate names, one per column of {@code x}
 * @param x covariates, one row per patient
 * @param time observed time (event or censoring)
 * @param event 1 = event observed, 0 = censored
 */
record Cohort(String name, List<String> covariates, double[][] x, double[] time, double[] event) {

    /** Number of patients. */
    int size() {
        return time.length;
    }

    /** Number of events. */
    int events() {
        int events = 0;
        for (double e : event) {
            events += (int) e;
        }
        return events;
    }

    /** The covariates as a float matrix {@code [n, p]}. */
    INDArray features() {
        return Nd4j.createFromArray(x).castTo(DataType.FLOAT);
    }

    /** The labels in survival4j's DL4J layout, {@code [n, 2]} = (time, event). */
    INDArray labels() {
        double[][] labels = new double[size()][];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = new double[] {time[i], event[i]};
        }
        return Nd4j.createFromArray(labels).castTo(DataType.FLOAT);
    }

    /** Features and labels as one DL4J data set. */
    DataSet dataSet() {
        return new DataSet(features(), labels());
    }

    /** The same patients with covariates replaced. */
    Cohort withCovariates(double[][] newX) {
        return new Cohort(name, covariates, newX, time, event);
    }
}
