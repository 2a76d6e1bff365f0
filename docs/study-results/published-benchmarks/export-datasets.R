# Development and study data for 'survival4j tune' (docs/published-benchmarks.md), in the layout of the
# acceptance files: covariates x0..x{d-1}, then time and event, all numeric, one train and one test file.
# R 4.2 with survival 3.5 and mets (TRACE). Usage: Rscript export-datasets.R OUTDIR
suppressMessages({library(survival); library(mets)})
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "data"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

write_split <- function(name, x, time, event, test_rows) {
  x <- as.data.frame(lapply(as.data.frame(x), as.numeric))
  names(x) <- paste0("x", seq_along(x) - 1)
  d <- cbind(x, time = as.numeric(time), event = as.numeric(event))
  ok <- complete.cases(d)
  train <- d[ok & !test_rows, ]
  test <- d[ok & test_rows, ]
  write.csv(train, file.path(out, paste0(name, "-train.csv")), row.names = FALSE)
  write.csv(test, file.path(out, paste0(name, "-test.csv")), row.names = FALSE)
  cat(sprintf("%-10s d = %2d  train %5d (%4.1f %% events)  test %5d (%4.1f %% events)\n", name, ncol(x),
              nrow(train), 100 * mean(train$event), nrow(test), 100 * mean(test$event)))
}
random_test <- function(n, seed, share = 0.2) {
  set.seed(seed)
  seq_len(n) %in% sample.int(n, round(share * n))
}

# Rotterdam (node-positive, n = 1546) -> GBSG (n = 686): DeepSurv's GBSG protocol. Covariates as in
# DeepSurv's file: hormonal therapy, tumour size category (<=20, 20-50, >50 mm as 0/1/2), menopausal status,
# age, positive nodes, progesterone and oestrogen receptors, grade. Rotterdam's end point is recurrence
# or death (rfs), GBSG's recurrence-free survival.
r <- rotterdam[rotterdam$nodes > 0, ]
rfs <- pmax(r$recur, r$death)
rfstime <- ifelse(r$recur == 1, r$rtime, r$dtime)
g <- gbsg
size_cat <- function(mm) as.numeric(cut(mm, c(-Inf, 20, 50, Inf))) - 1
rx <- data.frame(hormon = r$hormon, size = as.numeric(r$size) - 1, meno = r$meno, age = r$age, nodes = r$nodes,
                 pgr = r$pgr, er = r$er, grade = r$grade)
gx <- data.frame(hormon = g$hormon, size = size_cat(g$size), meno = g$meno, age = g$age, nodes = g$nodes,
                 pgr = g$pgr, er = g$er, grade = g$grade)
write_split("gbsg", rbind(rx, gx), c(rfstime, g$rfstime), c(rfs, g$status),
            c(rep(FALSE, nrow(rx)), rep(TRUE, nrow(gx))))

# TRACE (mets): 1878 patients after myocardial infarction, death from any cause; a WHAS-like cohort
data(TRACE, package = "mets")
t <- TRACE
write_split("trace", t[, c("wmi", "chf", "age", "sex", "diabetes", "vf")], t$time, t$status != 0,
            random_test(nrow(t), 1))

# flchain: serum free light chains and mortality, n = 7874 (6524 with creatinine); SUPPORT-like in size
f <- flchain
write_split("flchain", data.frame(age = f$age, sex = as.numeric(f$sex == "M"), kappa = f$kappa, lambda = f$lambda,
                                  flc = f$flc.grp, creatinine = f$creatinine, mgus = f$mgus),
            f$futime, f$death, random_test(nrow(f), 2))

# colon: adjuvant chemotherapy trial, death (etype 2), n = 929
c2 <- colon[colon$etype == 2, ]
write_split("colon", data.frame(lev = as.numeric(c2$rx == "Lev"), lev5fu = as.numeric(c2$rx == "Lev+5FU"), sex = c2$sex,
                                age = c2$age, obstruct = c2$obstruct, perfor = c2$perfor, adhere = c2$adhere,
                                nodes = c2$nodes, differ = c2$differ, extent = c2$extent, surg = c2$surg,
                                node4 = c2$node4),
            c2$time, c2$status, random_test(nrow(c2), 3))

# nwtco: National Wilms Tumor Study, relapse, n = 4028
w <- nwtco
write_split("nwtco", data.frame(instit = w$instit, histol = w$histol, stage = w$stage, study = w$study, age = w$age),
            w$edrel, w$rel, random_test(nrow(w), 4))

# mgus2: monoclonal gammopathy, death, n = 1384
m <- mgus2
write_split("mgus2", data.frame(age = m$age, sex = as.numeric(m$sex == "M"), hgb = m$hgb, creat = m$creat,
                                mspike = m$mspike), m$futime, m$death, random_test(nrow(m), 5))

# pbc: primary biliary cirrhosis, death (status 2), the 312 trial patients' 17 covariates
p <- pbc[!is.na(pbc$trt), ]
write_split("pbc", data.frame(trt = p$trt, age = p$age, sex = as.numeric(p$sex == "f"), ascites = p$ascites,
                              hepato = p$hepato, spiders = p$spiders, edema = p$edema, bili = p$bili, chol = p$chol,
                              albumin = p$albumin, copper = p$copper, alk = p$alk.phos, ast = p$ast, trig = p$trig,
                              platelet = p$platelet, protime = p$protime, stage = p$stage),
            p$time, p$status == 2, random_test(nrow(p), 6))

# sim: synthetic, WHAS-sized (1638 rows, 6 covariates, the last 328 rows for testing) with a strongly
# non-linear log hazard f = x0 + 0.8 (x1^2 - 1) + 0.9 x2 (2 x3 - 1) + 0.8 sin(2 x4) + 0.4 x5, exponential
# times with rate 0.05 exp(f), uniform(0, 40) censoring and follow-up ending at 30. The true f ranks the
# test rows with C = 0.835; a linear Cox model reaches 0.681.
set.seed(2024)
n <- 1638
x0 <- rnorm(n); x1 <- rnorm(n); x2 <- rnorm(n); x3 <- rbinom(n, 1, 0.4); x4 <- runif(n, -2, 2); x5 <- rnorm(n)
f <- 1.0 * x0 + 0.8 * (x1^2 - 1) + 0.9 * x2 * (2 * x3 - 1) + 0.8 * sin(2 * x4) + 0.4 * x5
t_event <- rexp(n, 0.05 * exp(f))
t_censor <- runif(n, 0, 40)
write_split("sim", data.frame(x0, x1, x2, x3, x4, x5), pmin(t_event, t_censor, 30),
            as.numeric(t_event <= pmin(t_censor, 30)), seq_len(n) > 1310)

# sim14: synthetic, SUPPORT-sized for the budget check of issue 32 (9000 training rows, 14 covariates, 1800 test rows):
# 9 normal and 5 binary covariates, log hazard f = 0.5 x0 - 0.4 x1 + 0.3 x2 + 0.4 (x3^2 - 1) + 0.3 x4 x5
# + 0.3 x9 - 0.3 x10 + 0.2 x11 (x6, x7, x8, x12 and x13 are noise); exponential times with rate 0.1 exp(f),
# uniform(0, 20) censoring (57 % of the rows have events; SUPPORT has 68 %). The true f ranks the test rows with
# C = 0.724; a linear Cox model reaches 0.666. Its purpose is the wall time of an 8-minute tune, not its C.
set.seed(2025)
n <- 10800
z <- matrix(rnorm(n * 9), n, 9)
b <- matrix(rbinom(n * 5, 1, 0.4), n, 5)
x <- cbind(z, b)
f <- 0.5 * x[, 1] - 0.4 * x[, 2] + 0.3 * x[, 3] + 0.4 * (x[, 4]^2 - 1) + 0.3 * x[, 5] * x[, 6] +
  0.3 * x[, 10] - 0.3 * x[, 11] + 0.2 * x[, 12]
t_event <- rexp(n, 0.1 * exp(f))
t_censor <- runif(n, 0, 20)
write_split("sim14", x, pmin(t_event, t_censor), as.numeric(t_event <= t_censor), seq_len(n) > 9000)
