# Competing-risks reference values: cause-specific Cox and Fine-Gray losses with their gradients,
# the Aalen-Johansen cumulative incidence, predicted cumulative incidence of fitted cause-specific
# Cox (riskRegression CSC + predictRisk) and Fine-Gray (finegray + coxph + survfit) models, and
# riskRegression's cause-specific AUC and Brier score with standard errors.
# Data: survival's mgus2 (cause 1 = progression to plasma-cell malignancy, 2 = death without it;
# times in months, many ties; stratum = male) and riskRegression's Melanoma (cause 1 = death from
# melanoma, 2 = other death; times in days, few ties; stratum = ulcer present).
# Run from this directory: Rscript competing_risks.R
library(survival)
library(riskRegression)
num <- function(df) {
  for (c in names(df)) if (is.numeric(df[[c]])) df[[c]] <- sprintf("%.17g", df[[c]])
  df
}
out <- function(df, file) write.csv(num(as.data.frame(df)), file, row.names = FALSE, quote = FALSE)

mg <- survival::mgus2
data(Melanoma, package = "riskRegression")
datasets <- list(
  mgus2 = data.frame(time = ifelse(mg$pstat == 1, mg$ptime, mg$futime),
                     cause = ifelse(mg$pstat == 1, 1, 2 * mg$death),
                     stratum = as.numeric(mg$sex == "M"), age = mg$age, male = as.numeric(mg$sex == "M")),
  melanoma = data.frame(time = as.numeric(Melanoma$time), cause = Melanoma$status,
                        stratum = as.numeric(Melanoma$ulcer == "present"), age = Melanoma$age,
                        male = as.numeric(Melanoma$sex == "Male"), logthick = Melanoma$logthick))
ties <- c("efron", "breslow")

# ---- losses: random log hazards per cause, sd 1 and sd 8 (numerical stress) ----
summary <- NULL
for (name in names(datasets)) for (sd in c(1, 8)) {
  set.seed(if (name == "mgus2") 341 + sd else 877 + sd)
  d <- datasets[[name]][, c("time", "cause", "stratum")]
  n <- nrow(d)
  d$id <- seq_len(n)
  d$lp_1 <- rnorm(n, 0, sd)
  d$lp_2 <- rnorm(n, 0, sd)
  # delayed entry for the counting-process case: 30 % of the rows enter at a whole time before their exit
  d$start <- ifelse(runif(n) < 0.3, floor(runif(n) * d$time), 0)
  d$fcause <- factor(d$cause, 0:2)
  row <- list(case = paste0(name, "_sd", sd), n = n)
  for (k in 1:2) {
    d$lp <- d[[paste0("lp_", k)]]
    row[[paste0("events_", k)]] <- sum(d$cause == k)
    for (t in ties) {
      fits <- list(
        csc = coxph(Surv(time, cause == k) ~ offset(lp), data = d, ties = t),
        csc_strata = coxph(Surv(time, cause == k) ~ offset(lp) + strata(stratum), data = d, ties = t),
        csc_counting = coxph(Surv(start, time, cause == k) ~ offset(lp), data = d, ties = t))
      for (f in names(fits)) {
        row[[paste0("nll_", f, "_", t, "_", k)]] <- -fits[[f]]$loglik[1]
        d[[paste0(f, "_", t, "_", k)]] <- -residuals(fits[[f]], "martingale")
      }
      # Fine-Gray for cause k of interest with log hazard lp_k: finegray's expansion, weighted coxph;
      # the gradient of an original row is the sum over its expanded rows of -weight * martingale residual
      for (strat in c(FALSE, TRUE)) {
        fg <- if (strat) finegray(Surv(time, fcause) ~ id + lp + strata(stratum), data = d, etype = as.character(k))
              else finegray(Surv(time, fcause) ~ id + lp, data = d, etype = as.character(k))
        fg$stratum <- d$stratum[fg$id]
        fit <- if (strat) coxph(Surv(fgstart, fgstop, fgstatus) ~ offset(lp) + strata(stratum), weights = fgwt,
                                data = fg, ties = t)
               else coxph(Surv(fgstart, fgstop, fgstatus) ~ offset(lp), weights = fgwt, data = fg, ties = t)
        f <- if (strat) "fg_strata" else "fg"
        row[[paste0("nll_", f, "_", t, "_", k)]] <- -fit$loglik[1]
        g <- rowsum(fg$fgwt * residuals(fit, "martingale"), fg$id)
        d[[paste0(f, "_", t, "_", k)]] <- -as.vector(g[as.character(d$id), 1])
      }
    }
  }
  d$id <- NULL; d$lp <- NULL; d$fcause <- NULL
  out(d, paste0("cr_", name, "_sd", sd, ".csv"))
  summary <- rbind(summary, as.data.frame(row))
}
out(summary, "cr_cases.csv")

# ---- Aalen-Johansen: cumulative incidence at a grid of times (0, event times, between, past the end) ----
for (name in names(datasets)) {
  d <- datasets[[name]]
  fit <- survfit(Surv(time, factor(cause, 0:2)) ~ 1, data = d)
  ev <- sort(unique(d$time[d$cause != 0]))
  at <- sort(unique(c(0, ev[seq(1, length(ev), length.out = 12)], ev[seq(1, length(ev), length.out = 12)] + 0.5,
                      max(d$time), max(d$time) + 10)))
  s <- summary(fit, times = at, extend = TRUE)
  stopifnot(identical(s$states, c("(s0)", "1", "2")))
  out(data.frame(at = at, cif_1 = s$pstate[, 2], cif_2 = s$pstate[, 3], event_free = s$pstate[, 1]),
      paste0("cr_aj_", name, ".csv"))
}

# ---- fitted models: linear predictors of every row and predicted cumulative incidence of new rows ----
scores <- NULL
contrasts <- NULL
concordances <- NULL
for (name in names(datasets)) {
  d <- datasets[[name]]
  n <- nrow(d)
  d$id <- seq_len(n)
  d$fcause <- factor(d$cause, 0:2)
  x <- if (name == "mgus2") c("age", "male") else c("age", "logthick")
  # a stratified model leaves out the covariate that is its stratum (mgus2: male)
  xs <- setdiff(x, "male")
  rhs <- paste(x, collapse = " + ")
  rhs_strata <- paste(xs, collapse = " + ")
  lp <- function(fit) as.vector(as.matrix(d[, names(coef(fit))]) %*% coef(fit))
  X <- as.matrix(d[, x])
  newrows <- c(1, 2, 3, round(n / 2), n)
  nd <- d[newrows, ]
  rows <- d[, c("time", "cause", "stratum")]
  preds <- NULL
  add <- function(model, cause, m) {
    for (j in seq_along(tt)) preds <<- rbind(preds, data.frame(model = model, cause = cause, row = newrows - 1,
                                                               time = tt[j], cif = m[, j]))
  }
  ev <- sort(unique(d$time[d$cause != 0]))
  tt <- sort(unique(c(0, ev[round(length(ev) * c(0.1, 0.3, 0.5, 0.7, 0.9))], ev[round(length(ev) * 0.5)] + 0.5,
                      max(d$time))))  # riskRegression gives NA after the last time
  # cause-specific Cox: riskRegression's CSC, product-limit predictRisk (its default)
  for (t in ties) for (strat in c(FALSE, TRUE)) {
    model <- paste0("csc_", t, if (strat) "_strata" else "")
    f <- as.formula(paste("Hist(time, cause) ~", if (strat) paste(rhs_strata, "+ strata(stratum)") else rhs))
    csc <- CSC(f, data = data.frame(d), ties = t) # a copy: CSC turns its data into a data.table in place
    for (k in 1:2) {
      rows[[paste0(model, "_lp_", k)]] <- lp(csc$models[[k]])
      add(model, k, predictRisk(csc, newdata = data.frame(nd), times = tt, cause = k, product.limit = TRUE))
    }
  }
  # Fine-Gray: finegray + weighted coxph, survfit for new rows (its hazard for the fit's ties)
  for (t in ties) for (strat in c(FALSE, TRUE)) for (k in 1:2) {
    model <- paste0("fg_", t, if (strat) "_strata" else "")
    cols <- c("time", "fcause", "id", if (strat) xs else x)
    fg <- if (strat) finegray(as.formula(paste("Surv(time, fcause) ~ . + strata(stratum)")),
                              data = d[, c(cols, "stratum")], etype = as.character(k))
          else finegray(Surv(time, fcause) ~ ., data = d[, cols], etype = as.character(k))
    fg$stratum <- d$stratum[fg$id]
    fit <- coxph(as.formula(paste("Surv(fgstart, fgstop, fgstatus) ~",
                                  if (strat) paste(rhs_strata, "+ strata(stratum)") else rhs)),
                 weights = fgwt, data = fg, ties = t)
    rows[[paste0(model, "_lp_", k)]] <- lp(fit)
    m <- t(sapply(seq_along(newrows), function(i) {
      s <- summary(survfit(fit, newdata = nd[i, ]), times = tt, extend = TRUE)$surv
      1 - s
    }))
    add(model, k, m)
  }
  out(rows, paste0("cr_predict_", name, ".csv"))
  out(preds, paste0("cr_predict_", name, "_new.csv"))

  # ---- Score: cause-specific AUC and Brier of the CSC and Fine-Gray cumulative incidences (efron fits) ----
  csc <- CSC(as.formula(paste("Hist(time, cause) ~", rhs)), data = data.frame(d))
  srows <- d[, c("time", "cause")]
  for (k in 1:2) {
    times <- as.numeric(quantile(d$time[d$cause == k], c(0.25, 0.5, 0.75), type = 1))
    a <- predictRisk(csc, newdata = data.frame(d), times = times, cause = k)
    fg <- finegray(Surv(time, fcause) ~ ., data = d[, c("time", "fcause", "id", x)], etype = as.character(k))
    fit <- coxph(as.formula(paste("Surv(fgstart, fgstop, fgstatus) ~", rhs)), weights = fgwt, data = fg)
    b <- 1 - t(summary(survfit(fit, newdata = d), times = times)$surv)
    for (j in seq_along(times)) {
      srows[[paste0("cif_a_", k, "_", j)]] <- a[, j]
      srows[[paste0("cif_b_", k, "_", j)]] <- b[, j]
    }
    # riskRegression 2022.11.28's influence function of the AUC takes the rows of the first cause as
    # the cases whatever `cause` says (its estimates are right, its standard errors for cause 2 are
    # not), so the causes are relabelled to make cause k the first: the same estimates, its own
    # cause-1 code for the standard errors
    dk <- data.frame(time = d$time, cause = ifelse(d$cause == k, 1, ifelse(d$cause == 0 | d$cause > k, d$cause,
                                                                              d$cause + 1)))
    for (conservative in c(FALSE, TRUE)) {
      s <- Score(list(A = a, B = b), formula = Hist(time, cause) ~ 1, data = dk, cause = 1, times = times,
                 metrics = c("auc", "brier"), cens.model = "km", se.fit = TRUE, conservative = conservative,
                 null.model = FALSE, contrasts = TRUE)
      scores <- rbind(scores,
        data.frame(dataset = name, cause = k, conservative = conservative, metric = "auc",
                   s$AUC$score[, c("model", "times")], estimate = s$AUC$score$AUC, s$AUC$score[, c("se", "lower", "upper")]),
        data.frame(dataset = name, cause = k, conservative = conservative, metric = "brier",
                   s$Brier$score[, c("model", "times")], estimate = s$Brier$score$Brier,
                   s$Brier$score[, c("se", "lower", "upper")]))
      contrasts <- rbind(contrasts,
        data.frame(dataset = name, cause = k, conservative = conservative, metric = "auc",
                   s$AUC$contrasts[, c("times", "model", "reference")], delta = s$AUC$contrasts$delta.AUC,
                   s$AUC$contrasts[, c("se", "p")]),
        data.frame(dataset = name, cause = k, conservative = conservative, metric = "brier",
                   s$Brier$contrasts[, c("times", "model", "reference")], delta = s$Brier$contrasts$delta.Brier,
                   s$Brier$contrasts[, c("se", "p")]))
    }
    # Wolbers et al. (2009)'s cause-specific concordance of the CSC linear predictor of cause k:
    # Harrell's C with the rows that had a competing event kept at risk beyond every time
    risk <- as.vector(X %*% coef(csc$models[[k]]))
    time2 <- ifelse(d$cause == 0 | d$cause == k, d$time, max(d$time) + 1)
    cc <- concordance(Surv(time2, d$cause == k) ~ risk, reverse = TRUE)
    concordances <- rbind(concordances, data.frame(dataset = name, cause = k, cindex = cc$concordance))
  }
  out(srows, paste0("cr_score_", name, ".csv"))
}
out(scores, "cr_score_scores.csv")
out(contrasts, "cr_score_contrasts.csv")
out(concordances, "cr_concordance.csv")
cat(R.version.string, "survival", format(packageVersion("survival")), "riskRegression",
    format(packageVersion("riskRegression")), "\n")
