package dev.samsa.reports.perf;

import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of one figure over seeds and the half-width of its 95% confidence interval (Student's
 * t with n-1 degrees of freedom). With a single seed there is no interval: {@code halfWidth} is NaN.
 */
public record Estimate(double mean, double halfWidth, int n) {

    public static Estimate of(double... values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("an estimate needs at least one value");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Estimate(mean, Double.NaN, 1);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975);
        return new Estimate(mean, t * sd / Math.sqrt(n), n);
    }

    /** E.g. {@code 4.21 ± 0.30}, or {@code 4.21} without an interval. */
    public String format(int decimals) {
        String f = "%." + decimals + "f";
        String m = String.format(Locale.ROOT, f, mean);
        return Double.isNaN(halfWidth) ? m : m + " ± " + String.format(Locale.ROOT, f, halfWidth);
    }
}
