package io.userpipeline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Percentiles of the events recorded by a histogram between two scrapes: the difference of the cumulative
 * bucket counts, interpolated linearly inside the bucket a percentile falls in (so the figure is as precise as
 * the buckets, about a quarter of their value here).
 */
record LatencyPercentiles(long events, double p50Millis, double p95Millis, double p99Millis) {

    static LatencyPercentiles between(Map<Double, Double> before, Map<Double, Double> after) {
        List<double[]> buckets = new ArrayList<>();
        after.forEach((upperBound, count) -> buckets.add(new double[] {upperBound, count - before.getOrDefault(upperBound, 0.0)}));
        if (buckets.isEmpty()) {
            throw new IllegalStateException("The processor exposes no latency histogram; is this the processor's /q/metrics?");
        }
        double total = buckets.get(buckets.size() - 1)[1];
        return new LatencyPercentiles((long) total, percentile(buckets, total, 0.50), percentile(buckets, total, 0.95),
                percentile(buckets, total, 0.99));
    }

    private static double percentile(List<double[]> buckets, double total, double fraction) {
        double wanted = total * fraction;
        double lowerBound = 0;
        double countBelow = 0;
        for (double[] bucket : buckets) {
            double upperBound = bucket[0];
            double cumulative = bucket[1];
            if (cumulative >= wanted && cumulative > countBelow) {
                if (Double.isInfinite(upperBound)) {
                    return lowerBound * 1000; // beyond the last bound: at least that much
                }
                return (lowerBound + (upperBound - lowerBound) * (wanted - countBelow) / (cumulative - countBelow)) * 1000;
            }
            lowerBound = upperBound;
            countBelow = cumulative;
        }
        return Double.NaN;
    }
}
