# Influence-function inference for the IPCW Brier score and time-dependent AUC, from riskRegression.
# Input: the shared golden cases (shared/golden), columns time, event, log_hz, log_scale, log_shape.
# Two models' predicted survival at three horizons (the 25/50/75 % quantiles of the event times):
#   A: S(t) = exp(-(t / mean(time)) * exp(log_hz))        B: S(t) = exp(-(t / exp(log_scale))^exp(log_shape))
# Score(..., cens.model = "km", se.fit = TRUE, conservative = FALSE) gives per model and time the
# estimate, its standard error and 95 % interval, the contrast B - A (delta, se, interval, p), and
# keep = "vcov" the covariance matrix cov(IF1, IF2) / n over all (model, time) pairs.
# Output per case: metric_inference_<case>.csv (time, event, surv_a_k, surv_b_k), _scores.csv,
# _contrasts.csv, _vcov.csv. Run from this directory: Rscript metric_inference.R ../golden
library(survival)
library(riskRegression)
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "../golden"
num <- function(df) {
  for (c in names(df)) if (is.numeric(df[[c]])) df[[c]] <- sprintf("%.17g", df[[c]])
  df
}
out <- function(df, file) write.csv(num(as.data.frame(df)), file, row.names = FALSE, quote = FALSE)
for (case in c("lung_sd1", "gbsg_sd1")) {
  d <- read.csv(file.path(dir, paste0(case, ".csv")))
  tt <- as.numeric(quantile(d$time[d$event == 1], c(0.25, 0.5, 0.75), type = 1))
  sa <- sapply(tt, function(t) exp(-(t / mean(d$time)) * exp(d$log_hz)))
  sb <- sapply(tt, function(t) exp(-(t / exp(d$log_scale))^exp(d$log_shape)))
  rows <- data.frame(time = d$time, event = d$event)
  for (k in seq_along(tt)) rows[[paste0("surv_a_", k)]] <- sa[, k]
  for (k in seq_along(tt)) rows[[paste0("surv_b_", k)]] <- sb[, k]
  out(rows, paste0("metric_inference_", case, ".csv"))
  x <- Score(list(A = 1 - sa, B = 1 - sb), formula = Surv(time, event) ~ 1, data = d, times = tt,
             metrics = c("auc", "brier"), cens.model = "km", se.fit = TRUE, conservative = FALSE,
             null.model = FALSE, contrasts = TRUE, keep = "vcov")
  scores <- rbind(data.frame(metric = "auc", x$AUC$score[, c("model", "times")], estimate = x$AUC$score$AUC,
                             x$AUC$score[, c("se", "lower", "upper")]),
                  data.frame(metric = "brier", x$Brier$score[, c("model", "times")], estimate = x$Brier$score$Brier,
                             x$Brier$score[, c("se", "lower", "upper")]))
  out(scores, paste0("metric_inference_", case, "_scores.csv"))
  contrasts <- rbind(data.frame(metric = "auc", x$AUC$contrasts[, c("times", "model", "reference")],
                                delta = x$AUC$contrasts$delta.AUC, x$AUC$contrasts[, c("se", "lower", "upper", "p")]),
                     data.frame(metric = "brier", x$Brier$contrasts[, c("times", "model", "reference")],
                                delta = x$Brier$contrasts$delta.Brier,
                                x$Brier$contrasts[, c("se", "lower", "upper", "p")]))
  out(contrasts, paste0("metric_inference_", case, "_contrasts.csv"))
  cells <- NULL
  for (m in c("auc", "brier")) {
    v <- if (m == "auc") x$AUC$vcov else x$Brier$vcov
    key <- expand.grid(time = tt, model = c("A", "B"))[, c("model", "time")]
    for (i in seq_len(nrow(v))) for (j in seq_len(ncol(v)))
      cells <- rbind(cells, data.frame(metric = m, model1 = key$model[i], time1 = key$time[i],
                                       model2 = key$model[j], time2 = key$time[j], cov = v[i, j]))
  }
  out(cells, paste0("metric_inference_", case, "_vcov.csv"))
  cat(case, R.version.string, "riskRegression", format(packageVersion("riskRegression")), "times", tt, "\n")
}
