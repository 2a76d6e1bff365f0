# Harrell's C on the test rows of a linear Cox model fitted by R's coxph on the training rows (Efron ties),
# for each split written by export-datasets.R: the reference for the 'linear Cox' column of
# docs/published-benchmarks.md. R 4.2, survival 3.5. Usage: Rscript linear-cox.R DATADIR
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "data"
for (name in c("gbsg", "trace", "flchain", "colon", "nwtco", "mgus2", "pbc", "sim", "sim14")) {
  train <- read.csv(file.path(dir, paste0(name, "-train.csv")))
  test <- read.csv(file.path(dir, paste0(name, "-test.csv")))
  fit <- coxph(Surv(time, event) ~ ., data = train, ties = "efron")
  c <- concordance(Surv(time, event) ~ predict(fit, test), data = test, reverse = TRUE)$concordance
  cat(sprintf("%-8s linear Cox (R coxph) test Harrell's C %.4f\n", name, c))
}
