# Data, split and R baselines of the competing-risks study (docs/study-competing-risks.md):
# survival's mgus2 (cause 1 = progression to plasma-cell malignancy, 2 = death without it; months)
# and riskRegression's Melanoma (cause 1 = death from melanoma, 2 = other death; days), complete
# cases, a seeded 2/3 : 1/3 train/test split within each cause, and on the test rows the predicted cumulative
# incidence of riskRegression's linear cause-specific Cox (CSC, Efron ties, product integral) and
# Fine-Gray (FGR, one model per cause) fitted on the training rows, with riskRegression's Score
# (AUC and Brier per cause, IPCW, conservative = FALSE) of those predictions as a cross-check.
# R 4.2.2, survival 3.5.3, riskRegression 2022.11.28, cmprsk 2.2.11.
# Run from the repository root: Rscript docs/study-results/competing-risks/competing_risks_study.R
suppressPackageStartupMessages({library(survival); library(riskRegression); library(prodlim)})
here <- "docs/study-results/competing-risks"
datasets_dir <- "examples/src/main/resources/org/survival4j/datasets"
num <- function(df) {
  for (c in names(df)) if (is.numeric(df[[c]])) df[[c]] <- sprintf("%.17g", df[[c]])
  df
}
out <- function(df, file) write.csv(num(as.data.frame(df)), file, row.names = FALSE, quote = FALSE)

mg <- survival::mgus2
mg <- mg[complete.cases(mg[, c("age", "sex", "hgb", "creat", "mspike")]), ]
data(Melanoma, package = "riskRegression")
data <- list(
  mgus2 = data.frame(time = ifelse(mg$pstat == 1, mg$ptime, mg$futime),
                     cause = ifelse(mg$pstat == 1, 1, 2 * mg$death),
                     age = mg$age, male = as.numeric(mg$sex == "M"), hgb = mg$hgb, creat = mg$creat,
                     mspike = mg$mspike),
  melanoma = data.frame(time = as.numeric(Melanoma$time), cause = Melanoma$status, age = Melanoma$age,
                        male = as.numeric(Melanoma$sex == "Male"), logthick = Melanoma$logthick,
                        ulcer = as.numeric(Melanoma$ulcer == "present"),
                        epicel = as.numeric(Melanoma$epicel == "present"),
                        invasion1 = as.numeric(Melanoma$invasion == "level.1"),
                        invasion2 = as.numeric(Melanoma$invasion == "level.2")))
horizons <- list(mgus2 = c(60, 120), melanoma = c(1826, 3652))
seeds <- c(mgus2 = 2024, melanoma = 2025)

for (name in names(data)) {
  d <- data[[name]]
  set.seed(seeds[[name]])
  # a third of the rows of each cause (and of the censored rows) are test rows
  picked <- unlist(lapply(split(seq_len(nrow(d)), d$cause), function(i) i[sample.int(length(i), round(length(i) / 3))]))
  d$test <- as.numeric(seq_len(nrow(d)) %in% picked)
  out(d, file.path(datasets_dir, paste0(name, ".csv")))
  train <- d[d$test == 0, ]
  test <- d[d$test == 1, ]
  covariates <- setdiff(names(d), c("time", "cause", "test"))
  f <- as.formula(paste("Hist(time, cause) ~", paste(covariates, collapse = " + ")))
  csc <- CSC(f, data = train)  # coxph with Efron ties per cause; predictRisk: product integral
  fgr <- lapply(1:2, function(k) FGR(f, data = train, cause = k))
  pred <- NULL
  score <- NULL
  for (k in 1:2) {
    for (t in horizons[[name]]) {
      pred <- rbind(pred, data.frame(model = "CSC", cause = k, horizon = t, row = which(d$test == 1) - 1,
                                     cif = as.vector(predictRisk(csc, newdata = test, times = t, cause = k))),
                    data.frame(model = "FGR", cause = k, horizon = t, row = which(d$test == 1) - 1,
                               cif = as.vector(predictRisk(fgr[[k]], newdata = test, times = t, cause = k))))
    }
    s <- Score(list(CSC = csc, FGR = fgr[[k]]), formula = Hist(time, cause) ~ 1, data = test, cause = k,
               times = horizons[[name]], metrics = c("auc", "brier"), se.fit = TRUE, conservative = FALSE,
               null.model = FALSE)
    auc <- as.data.frame(s$AUC$score)
    brier <- as.data.frame(s$Brier$score)
    score <- rbind(score,
                   data.frame(model = as.character(auc$model), cause = k, metric = "auc", horizon = auc$times,
                              estimate = auc$AUC, se = auc$se),
                   data.frame(model = as.character(brier$model), cause = k, metric = "brier",
                              horizon = brier$times, estimate = brier$Brier, se = brier$se))
  }
  out(pred, file.path(here, paste0("r_predictions_", name, ".csv")))
  out(score, file.path(here, paste0("r_score_", name, ".csv")))
  cat(name, ": ", nrow(train), " training rows (", sum(train$cause == 1), " + ", sum(train$cause == 2),
      " events), ", nrow(test), " test rows (", sum(test$cause == 1), " + ", sum(test$cause == 2), ")\n", sep = "")
}
