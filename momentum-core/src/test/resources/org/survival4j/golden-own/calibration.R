# Calibration at a horizon and D-calibration, computed with R's survival package (and riskRegression
# for a cross-check of the grouped observed risks): what org.survival4j.metrics' SmoothCalibration,
# CalibrationSlope, CalibrationInTheLarge, GroupedCalibration and DCalibration must equal.
# Input: the shared golden cases lung_sd1 and gbsg_sd1 (time, event, log_hz). Model: the predicted
# risk at horizon t is F_i(t) = 1 - exp(-(t / mean(time)) * exp(log_hz_i)) (an exponential model; the
# same model A as metric_inference.R), at t = the 25 % and 50 % quantiles (type 1) of the event times.
# Per case and horizon:
# - smooth calibration (Austin, Harrell and van Klaveren 2020, doi:10.1002/sim.8570): cll = log(-log(1 - F));
#   knots = quantile(cll, c(.1, .5, .9)) (type 7); coxph(Surv(time, event) ~ rcs basis of cll,
#   ties = "breslow") on Harrell's basis (checked against Hmisc::rcspline.eval), observed risk per row
#   1 - survfit(fit, newdata)$surv at t; the same with splines::ns(cll, knots = k2, Boundary.knots =
#   c(k1, k3)) (the same function space: the same fit); ICI, E50, E90 (mean, median, 90 % quantile of
#   |F - observed|); the curve on seq(quantile(F, .01), quantile(F, .99), length = 100) with its 95 %
#   log-log band (survfit(..., conf.type = "log-log")).
# - calibration slope: coxph(Surv(time, event) ~ cll, ties = "breslow"): coef and se.
# - O/E: (1 - KM(t)) / mean(F), se(log O/E) = Greenwood se of KM(t) / (1 - KM(t)).
# - Greenwood-Nam-D'Agostino: a transcription of GND.calib (Demler, Paynter and Cook 2015,
#   doi:10.1002/sim.6428): groups cut(F, quantile(F, 0:10/10), include.lowest = TRUE); per group
#   Kaplan-Meier at t, Greenwood variance, mean F; chi2 = sum((1 - KM - mean F)^2 / var), df = G - 1.
#   If riskRegression is installed: plotCalibration(Score(..., plots = "calibration"), method =
#   "quantile", q = 10, cens.method = "local", plot = FALSE) gives the groups' Pred and Obs too.
# - D-calibration (Haider et al. 2020, JMLR 21(85)): s_i = S(T_i | x_i) = exp(-(T_i / mean(time)) *
#   exp(log_hz)); 10 bins; an event adds 1 to bin min(floor(10 s), 9); a censored row adds
#   (s - b/10)/s to its bin b and 1/(10 s) to each lower bin; chi2 against n/10 on 9 df.
# Output: calibration_<case>_rows.csv, _summary.csv, _curve.csv, _groups.csv, _dcal.csv and
# calibration_chisq.csv (pchisq upper tails). Run from this directory: Rscript calibration.R ../golden
library(survival)
library(splines)
pdf(NULL) # riskRegression opens a graphics device even with plot = FALSE
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "../golden"
num <- function(df) {
  for (c in names(df)) if (is.numeric(df[[c]])) df[[c]] <- sprintf("%.17g", df[[c]])
  df
}
out <- function(df, file) write.csv(num(as.data.frame(df)), file, row.names = FALSE, quote = FALSE)
ctl <- coxph.control(eps = 1e-13, toler.chol = 1e-14, iter.max = 100)
# Harrell's restricted cubic spline basis (Hmisc::rcspline.eval(x, knots, inclx = TRUE), norm = 2)
rcs_basis <- function(x, k) {
  K <- length(k)
  b <- cbind(x)
  for (j in 1:(K - 2)) {
    b <- cbind(b, (pmax(x - k[j], 0)^3 - pmax(x - k[K - 1], 0)^3 * (k[K] - k[j]) / (k[K] - k[K - 1])
                   + pmax(x - k[K], 0)^3 * (k[K - 1] - k[j]) / (k[K] - k[K - 1])) / (k[K] - k[1])^2)
  }
  unname(b)
}
have_rr <- requireNamespace("riskRegression", quietly = TRUE)
for (case in c("lung_sd1", "gbsg_sd1")) {
  d <- read.csv(file.path(dir, paste0(case, ".csv")))
  n <- nrow(d)
  tt <- as.numeric(quantile(d$time[d$event == 1], c(0.25, 0.5), type = 1))
  rows <- data.frame(time = d$time, event = d$event)
  summary_rows <- NULL
  curves <- NULL
  groups <- NULL
  dcal <- NULL
  for (h in seq_along(tt)) {
    t <- tt[h]
    pred <- 1 - exp(-(t / mean(d$time)) * exp(d$log_hz))
    cll <- log(-log(1 - pred))
    knots <- as.numeric(quantile(cll, c(0.1, 0.5, 0.9)))
    B <- rcs_basis(cll, knots)
    stopifnot(max(abs(Hmisc::rcspline.eval(cll, knots, inclx = TRUE) - B)) < 1e-12)
    hmisc_knots <- Hmisc::rcspline.eval(cll, nk = 3, knots.only = TRUE)
    # survfit evaluates the fit's data again in the formula's (global) environment
    cd <<- data.frame(time = d$time, event = d$event, b1 = B[, 1], b2 = B[, 2], cll = cll)
    fit <- coxph(Surv(time, event) ~ b1 + b2, data = cd, ties = "breslow", control = ctl)
    obs <- 1 - as.numeric(summary(survfit(fit, newdata = cd[, c("b1", "b2")]), times = t)$surv)
    fit_ns <- coxph(Surv(time, event) ~ ns(cll, knots = knots[2], Boundary.knots = knots[c(1, 3)]),
                    data = cd, ties = "breslow", control = ctl)
    obs_ns <- 1 - as.numeric(summary(survfit(fit_ns, newdata = cd[, "cll", drop = FALSE]), times = t)$surv)
    rows[[paste0("risk_", h)]] <- pred
    rows[[paste0("observed_", h)]] <- obs
    rows[[paste0("observed_ns_", h)]] <- obs_ns
    err <- abs(pred - obs)
    slope <- coxph(Surv(time, event) ~ cll, data = cd, ties = "breslow", control = ctl)
    km <- summary(survfit(Surv(time, event) ~ 1, data = cd), times = t)
    o <- 1 - km$surv
    e <- mean(pred)
    se_log <- km$std.err / o
    # the curve and its log-log band
    grid <- seq(quantile(pred, 0.01), quantile(pred, 0.99), length = 100)
    gb <- rcs_basis(log(-log(1 - grid)), knots)
    sg <- summary(survfit(fit, newdata = data.frame(b1 = gb[, 1], b2 = gb[, 2]), conf.type = "log-log"), times = t)
    curves <- rbind(curves, data.frame(horizon = t, predicted = grid, observed = 1 - as.numeric(sg$surv),
                                       lower = 1 - as.numeric(sg$upper), upper = 1 - as.numeric(sg$lower)))
    # Greenwood-Nam-D'Agostino, transcribing GND.calib: events and Kaplan-Meier up to t
    g <- cut(pred, quantile(pred, 0:10 / 10), include.lowest = TRUE, labels = FALSE)
    gnd <- NULL
    for (k in sort(unique(g))) {
      sub <- d[g == k, ]
      kmk <- summary(survfit(Surv(time, event) ~ 1, data = sub), times = t)
      gnd <- rbind(gnd, data.frame(horizon = t, group = k - 1, n = nrow(sub),
                                   events = sum(sub$event == 1 & sub$time <= t), predicted = mean(pred[g == k]),
                                   observed = 1 - kmk$surv, variance = (kmk$std.err)^2))
    }
    gnd$component <- ifelse(gnd$variance == 0, 0, (gnd$observed - gnd$predicted)^2 / gnd$variance)
    if (have_rr) {
      sc <- riskRegression::Score(list(A = pred), formula = Surv(time, event) ~ 1, data = d, times = t,
                                  plots = "calibration", metrics = "brier", null.model = FALSE, cens.model = "km")
      pf <- riskRegression::plotCalibration(sc, method = "quantile", q = 10, cens.method = "local", plot = FALSE)$plotFrames$A
      gnd$rr_predicted <- pf$Pred
      gnd$rr_observed <- pf$Obs
    }
    groups <- rbind(groups, gnd)
    chi2 <- sum(gnd$component)
    # D-calibration of the model's whole curve at each row's own time (the same at both horizons)
    s <- exp(-(d$time / mean(d$time)) * exp(d$log_hz))
    bin <- pmin(floor(10 * s), 9)
    counts <- numeric(10)
    for (i in seq_len(n)) {
      if (d$event[i] == 1) {
        counts[bin[i] + 1] <- counts[bin[i] + 1] + 1
      } else {
        counts[bin[i] + 1] <- counts[bin[i] + 1] + (s[i] - bin[i] / 10) / s[i]
        if (bin[i] > 0) counts[1:bin[i]] <- counts[1:bin[i]] + 1 / (10 * s[i])
      }
    }
    dchi <- sum((counts - n / 10)^2 / (n / 10))
    if (h == 1) dcal <- data.frame(bin = 0:9, count = counts, chi2 = dchi, p = pchisq(dchi, 9, lower.tail = FALSE))
    summary_rows <- rbind(summary_rows, data.frame(
      horizon = t, knot1 = knots[1], knot2 = knots[2], knot3 = knots[3],
      hmisc_knot1 = hmisc_knots[1], hmisc_knot2 = hmisc_knots[2], hmisc_knot3 = hmisc_knots[3],
      ici = mean(err), e50 = median(err), e90 = as.numeric(quantile(err, 0.9)),
      max_rcs_vs_ns = max(abs(obs - obs_ns)), beta1 = coef(fit)[1], beta2 = coef(fit)[2],
      slope = coef(slope)[1], slope_se = sqrt(vcov(slope)[1, 1]),
      oe_observed = o, oe_expected = e, oe = o / e, oe_se_log = se_log,
      oe_lower = o / e * exp(-qnorm(0.975) * se_log), oe_upper = o / e * exp(qnorm(0.975) * se_log),
      oe_p = 2 * pnorm(-abs(log(o / e)) / se_log),
      gnd_chi2 = chi2, gnd_df = nrow(gnd) - 1, gnd_p = pchisq(chi2, nrow(gnd) - 1, lower.tail = FALSE)))
  }
  out(rows, paste0("calibration_", case, "_rows.csv"))
  out(summary_rows, paste0("calibration_", case, "_summary.csv"))
  out(curves, paste0("calibration_", case, "_curve.csv"))
  out(groups, paste0("calibration_", case, "_groups.csv"))
  out(dcal, paste0("calibration_", case, "_dcal.csv"))
  cat(case, "horizons", tt, "max |rcs - ns|", summary_rows$max_rcs_vs_ns, "\n")
}
x <- c(0.001, 0.1, 0.5, 1, 2, 3.3, 5, 8.5, 9, 12, 16.9, 20, 30, 45, 70, 120, 250)
dfs <- c(1, 2, 3, 5, 9, 10, 19, 49)
chisq <- expand.grid(x = x, df = dfs)
chisq$p <- pchisq(chisq$x, chisq$df, lower.tail = FALSE)
out(chisq, "calibration_chisq.csv")
cat(R.version.string, "survival", format(packageVersion("survival")), "Hmisc", format(packageVersion("Hmisc")),
    if (have_rr) paste("riskRegression", format(packageVersion("riskRegression"))) else "(no riskRegression)", "\n")
