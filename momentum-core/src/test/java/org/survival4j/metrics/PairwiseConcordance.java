package org.survival4j.metrics;

/**
 * The O(n^2) definitions, written directly from the formulas, as an independent check of the
 * Fenwick-tree kernel: every pair is visited, with R's comparability rule.
 */
final class PairwiseConcordance {
    final double concordant;
    final double discordant;
    final double tied;
    final double[] rowConcordant;
    final double[] rowDiscordant;
    final double[] rowTied;

    private PairwiseConcordance(int n) {
        rowConcordant = new double[n];
        rowDiscordant = new double[n];
        rowTied = new double[n];
        concordant = 0;
        discordant = 0;
        tied = 0;
    }

    private PairwiseConcordance(double c, double d, double t, double[] rc, double[] rd, double[] rt) {
        concordant = c;
        discordant = d;
        tied = t;
        rowConcordant = rc;
        rowDiscordant = rd;
        rowTied = rt;
    }

    /** Pair (i, j) weighted by pairWeight[i] * caseWeight[i] * caseWeight[j]. */
    static PairwiseConcordance of(double[] risk, double[] time, double[] event, double[] timeWeight,
                                  double[] caseWeight) {
        int n = risk.length;
        double c = 0;
        double d = 0;
        double t = 0;
        double[] rc = new double[n];
        double[] rd = new double[n];
        double[] rt = new double[n];
        for (int i = 0; i < n; i++) {
            if (event[i] != 1) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                boolean longer = time[j] > time[i] || (time[j] == time[i] && event[j] == 0);
                if (!longer || j == i) {
                    continue;
                }
                double w = timeWeight[i] * caseWeight[i] * caseWeight[j];
                if (risk[i] > risk[j]) {
                    c += w;
                    rc[i] += w;
                    rc[j] += w;
                } else if (risk[i] < risk[j]) {
                    d += w;
                    rd[i] += w;
                    rd[j] += w;
                } else {
                    t += w;
                    rt[i] += w;
                    rt[j] += w;
                }
            }
        }
        return new PairwiseConcordance(c, d, t, rc, rd, rt);
    }

    double estimate() {
        return (concordant + 0.5 * tied) / (concordant + discordant + tied);
    }
}
