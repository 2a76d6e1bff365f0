/**
 * The batch-size study (issue 7): plain mini-batch Cox from batch 8 to the full batch, momentum
 * Cox at batch 8 and 16, and Weibull at batch 16, on Rotterdam -> GBSG, FLCHAIN, a synthetic
 * high-dimensional task and a synthetic rare-event task, several seeds each; results as CSV,
 * markdown and a PNG plot. Run it with
 * {@code mvn -B -q -DskipTests -Pstudy package -pl examples -am}; see {@code docs/study.md}.
 */
package org.survival4j.examples.study;
