package dev.unidler.bench;

import java.util.List;

/**
 * One scenario's part of the report.
 *
 * @param title the scenario
 * @param how how its figures are measured, for {@code docs/benchmarks.md}
 * @param figures its figures
 * @param details what else was seen (requests by verb and resource, failures)
 */
record Section(String title, String how, List<Figure> figures, List<String> details) {

	Section {
		figures = List.copyOf(figures);
		details = List.copyOf(details);
	}

}
