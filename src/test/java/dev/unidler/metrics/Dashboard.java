package dev.unidler.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard {@code deploy/} ships, read as Grafana reads it: its panels and
 * their PromQL expressions.
 *
 * @param json the whole dashboard
 */
record Dashboard(JsonNode json) {

	static final Path FILE = Path.of("deploy", "grafana", "unidler-dashboard.json");

	/** A metric name of the unidler's, in an expression. */
	private static final Pattern METRIC = Pattern.compile("\\bunidler_[a-z0-9_]+\\b");

	/** Fails when the file is not JSON. */
	static Dashboard read() {
		return new Dashboard(JsonMapper.builder().build().readTree(FILE.toFile()));
	}

	/** Every panel's every query. */
	List<Query> queries() {
		List<Query> queries = new ArrayList<>();
		for (JsonNode panel : this.json.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				queries.add(new Query(panel.path("title").asString(), target.path("expr").asString()));
			}
		}
		return queries;
	}

	/**
	 * One query of a panel.
	 *
	 * @param panel the panel's title
	 * @param expr its PromQL
	 */
	record Query(String panel, String expr) {

		/** The unidler's metric names it reads. */
		Set<String> metrics() {
			Set<String> names = new TreeSet<>();
			Matcher matcher = METRIC.matcher(this.expr);
			while (matcher.find()) {
				names.add(matcher.group());
			}
			return names;
		}

		/**
		 * As Prometheus takes it: Grafana's own variables replaced by what Grafana would
		 * put there.
		 */
		String forPrometheus() {
			return this.expr.replace("$__rate_interval", "1m").replace("$__range", "1h");
		}

	}

}
