# Breslow baseline cumulative hazard of counting-process Cox fits, from R's survival package.
# Input: the shared golden cases (shared/golden/counting), columns start, stop, event, log_hz.
# Output: one CSV per case, time,cumhaz: survfit's cumulative hazard at log_hz = 0 of
# coxph(Surv(start, stop, event) ~ offset(log_hz), ties = "breslow"), at its event times.
# Run from this directory: Rscript counting_baseline.R ../golden/counting
library(survival)
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "../golden/counting"
for (case in c("heart_sd1", "lung_entry_sd8")) {
  d <- read.csv(file.path(dir, paste0("counting_", case, ".csv")))
  fit <- coxph(Surv(start, stop, event) ~ offset(log_hz), data = d, ties = "breslow")
  s <- survfit(fit, newdata = data.frame(log_hz = 0), ctype = 1)
  keep <- s$n.event > 0
  out <- data.frame(time = s$time[keep], cumhaz = s$cumhaz[keep])
  write.csv(out, paste0("counting_baseline_", case, ".csv"), row.names = FALSE, quote = FALSE)
  cat(case, R.version.string, "survival", format(packageVersion("survival")), nrow(out), "event times\n")
}
