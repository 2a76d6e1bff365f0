# The linear cause-specific Cox baseline of `survival4j train --compare` on competing risks, as R fits
# and scores it: riskRegression's CSC (one coxph per cause, Efron ties) on the CLI test's training rows
# of R's mgus2 (the first 480 rows of the embedded mgus2.csv, every 4th row held out for testing), its
# predicted cumulative incidence at t = 100 months scored on the test rows by Score(..., cause = k).
# Usage: Rscript cli_compare_mgus2.R PATH/TO/examples/src/main/resources/org/survival4j/datasets/mgus2.csv
suppressMessages({library(survival); library(riskRegression); library(prodlim)})
d <- read.csv(commandArgs(trailingOnly = TRUE)[1])[1:480, ]
test <- seq_len(nrow(d)) %% 4 == 0
tr <- d[!test, ]; te <- d[test, ]
csc <- CSC(Hist(time, cause) ~ age + male + hgb + creat + mspike, data = tr, ties = "efron")
rows <- NULL
for (k in 1:2) {
  s <- Score(list(csc = csc), formula = Hist(time, cause) ~ 1, data = te, times = 100, cause = k,
             metrics = c("auc", "brier"), cens.model = "km", null.model = FALSE)
  rows <- rbind(rows, data.frame(cause = k, metric = c("auc", "brier"),
                                 estimate = c(s$AUC$score$AUC, s$Brier$score$Brier)))
}
write.csv(format(rows, digits = 15), "cli_compare_mgus2.csv", row.names = FALSE, quote = FALSE)
