package dev.unidler.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * One measured figure: the value of every run, and the goal it is held against. The table
 * shows the median and, over several runs, the spread (min–max), so that one lucky or
 * unlucky run does not become the headline.
 *
 * @param name what was measured, with its size ("notify latency p99, 1,000 subscribers")
 * @param unit the unit of the values ({@code ms}, {@code KiB}, ...), or empty
 * @param runs the value of each run, in order
 * @param goal the goal from issue 12 this figure is held against, or {@code null}
 */
record Figure(String name, String unit, List<Double> runs, Goal goal) {

	Figure {
		runs = List.copyOf(runs);
	}

	static Figure of(String name, String unit, List<Double> runs, Goal goal) {
		return new Figure(name, unit, runs, goal);
	}

	static Figure single(String name, String unit, double value, Goal goal) {
		return new Figure(name, unit, List.of(value), goal);
	}

	double median() {
		if (this.runs.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = new ArrayList<>(this.runs);
		sorted.sort(null);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	double min() {
		return this.runs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
	}

	double max() {
		return this.runs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
	}

	/** Whether every run has a finite value (a failed measurement has none). */
	boolean measured() {
		return !this.runs.isEmpty() && this.runs.stream().allMatch(Double::isFinite);
	}

	/** The median with its unit, and the spread when there were several runs. */
	String value() {
		if (!measured()) {
			return "not measured";
		}
		String median = number(median()) + (this.unit.isEmpty() ? "" : " " + this.unit);
		if (this.runs.size() < 2) {
			return median;
		}
		return median + " (" + number(min()) + "–" + number(max()) + ", " + this.runs.size() + " runs)";
	}

	/** {@code yes}, {@code no}, or {@code —} when the figure has no goal of its own. */
	String met() {
		if (this.goal == null) {
			return "—";
		}
		return (measured() && this.goal.test().test(median())) ? "yes" : "NO";
	}

	String goalText() {
		return (this.goal != null) ? this.goal.text() : "";
	}

	static String number(double value) {
		if (!Double.isFinite(value)) {
			return "n/a";
		}
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return String.format(Locale.ROOT, "%,d", (long) value);
		}
		if (Math.abs(value) >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (Math.abs(value) >= 10) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

	/**
	 * A goal of issue 12, applied to the median.
	 *
	 * @param text how the table states it
	 * @param test whether a median meets it
	 */
	record Goal(String text, DoublePredicate test) {

		static Goal atMost(double limit, String text) {
			return new Goal(text, (value) -> value <= limit);
		}

		static Goal atLeast(double limit, String text) {
			return new Goal(text, (value) -> value >= limit);
		}

	}

}
