# Survival curves of Cox models with fixed coefficients (offsets), from R's survival package: what
# a survival model's curves must equal. For each case and ties method, the model is
# coxph(Surv(...) ~ offset(log_hz) [+ strata(s)], ties = ties), and the curves are
# survfit(fit, newdata = data.frame(log_hz = eta[, s])) with survfit's defaults for that fit
# (ctype 1 = Breslow's hazard for ties = "breslow", ctype 2 = Efron's for ties = "efron";
# stype 2: S = exp(-H)). Output: one CSV per case and ties method with columns
# eta, stratum, time, cumhaz, surv, one row per (new row, time), and the new rows' medians in
# survival_curves_medians.csv (NA where S stays above 0.5).
# Strata: the stratified case puts row r (1-based) of the data in stratum (r - 1) %% 2. survival 3.5.3's
# survfit fails on a stratified fit with no covariate but the offset ("missing value where TRUE/FALSE
# needed" in coxsurv.fit), so each stratum's curve comes from the fit on that stratum's rows: the
# same curve, since a stratum's baseline hazard uses only its own rows.
# Run from this directory: Rscript survival_curves.R ../golden
library(survival)
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "../golden"
etas <- c(-1.5, 0, 0.7)
medians <- NULL
one <- function(name, d, formula, ties, stratified) {
  evt <- if ("stop" %in% names(d)) d$stop else d$time
  grid <- sort(unique(c(0, min(evt) / 2, quantile(evt, c(0.1, 0.25, 0.5, 0.75, 0.9), type = 1),
                        quantile(evt, c(0.3, 0.6), type = 1) + 0.5, max(evt), max(evt) * 2)))
  rows <- NULL
  for (s in if (stratified) c(0, 1) else 0) {
    # survfit evaluates the fit's data again in the formula's (global) environment
    rows_s <<- if (stratified) d[d$s == s, ] else d
    fit <- coxph(formula, data = rows_s, ties = ties)
    nd <- data.frame(log_hz = etas)
    for (k in seq_along(etas)) {
      sf <- survfit(fit, newdata = nd[k, , drop = FALSE])
      sm <- summary(sf, times = grid, extend = TRUE)
      rows <- rbind(rows, data.frame(eta = etas[k], stratum = s, time = sm$time, cumhaz = sm$cumhaz,
                                     surv = sm$surv))
      med <- unname(quantile(sf, 0.5, conf.int = FALSE))
      medians <<- rbind(medians, data.frame(case = name, ties = ties, eta = etas[k], stratum = s, median = med))
    }
  }
  write.csv(rows, paste0("survival_curves_", name, "_", ties, ".csv"), row.names = FALSE, quote = FALSE)
}
for (ties in c("efron", "breslow")) {
  for (case in c("lung_sd1", "gbsg_sd1")) {
    d <- read.csv(file.path(dir, paste0(case, ".csv")))
    one(case, d, Surv(time, event) ~ offset(log_hz), ties, FALSE)
  }
  d <- read.csv(file.path(dir, "lung_sd1.csv"))
  d$s <- (seq_len(nrow(d)) - 1) %% 2
  one("lung_sd1_strata", d, Surv(time, event) ~ offset(log_hz), ties, TRUE)
  d <- read.csv(file.path(dir, "counting", "counting_heart_sd1.csv"))
  one("counting_heart_sd1", d, Surv(start, stop, event) ~ offset(log_hz), ties, FALSE)
}
write.csv(medians, "survival_curves_medians.csv", row.names = FALSE, quote = FALSE)
cat(R.version.string, "survival", format(packageVersion("survival")), "\n")
