package dev.unidler.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a sample. */
final class Percentiles {

	private Percentiles() {
	}

	/**
	 * @param sample the values
	 * @param percentile between 0 and 100
	 * @return the smallest value with at least that share of the sample at or below it;
	 * NaN for an empty sample
	 */
	static double of(Collection<Double> sample, double percentile) {
		if (sample.isEmpty()) {
			return Double.NaN;
		}
		double[] sorted = sample.stream().mapToDouble(Double::doubleValue).toArray();
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
		return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
	}

}
