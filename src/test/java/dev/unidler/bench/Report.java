package dev.unidler.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's result: the table on standard output, and {@code docs/benchmarks.md}.
 *
 * @param machine what it ran on
 * @param settings the sizes
 * @param launcher how the unidler was started
 * @param command the command that ran it
 * @param date when (UTC)
 * @param minutes how long the whole run took
 * @param loadBefore the machine's load averages when the run began
 * @param loadAfter the machine's load averages when it ended
 * @param sections the figures, by scenario
 */
record Report(Machine machine, BenchSettings settings, String launcher, String command, String date, double minutes,
		String loadBefore, String loadAfter, List<Section> sections) {

	List<Figure> figures() {
		return this.sections.stream().flatMap((section) -> section.figures().stream()).toList();
	}

	/** A plain-text table: figure, value, goal, met. */
	String table() {
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "figure", "value", "goal", "met" });
		for (Section section : this.sections) {
			rows.add(new String[] { "[" + section.title() + "]", "", "", "" });
			for (Figure figure : section.figures()) {
				rows.add(new String[] { figure.name(), figure.value(), figure.goalText(), figure.met() });
			}
		}
		int[] widths = new int[4];
		for (String[] row : rows) {
			for (int i = 0; i < 4; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		StringBuilder table = new StringBuilder();
		for (String[] row : rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < 4; i++) {
				line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + ((i < 3) ? 2 : 0)));
			}
			table.append(line.toString().stripTrailing()).append('\n');
		}
		for (Section section : this.sections) {
			for (String detail : section.details()) {
				table.append("  ").append(section.title()).append(": ").append(detail).append('\n');
			}
		}
		return table.toString();
	}

	/** {@code docs/benchmarks.md}. */
	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# Benchmarks\n\n");
		md.append("Written by `make bench` (").append(this.settings.mode()).append(" form) on ").append(this.date);
		md.append(" in ").append(Figure.number(this.minutes)).append(" min. Run it again to replace this file.\n\n");
		md.append("| machine | |\n|---|---|\n");
		md.append("| CPU | ").append(this.machine.cpu()).append(" |\n");
		md.append("| cores | ")
			.append(this.machine.cores())
			.append(" (the unidler, the load generator and the control plane share them) |\n");
		md.append("| memory | ").append(this.machine.memory()).append(" |\n");
		md.append("| OS | ").append(this.machine.os()).append(" |\n");
		md.append("| JDK | ").append(this.machine.jdk()).append(" |\n");
		md.append("| load average (1, 5, 15 min) | ")
			.append(this.loadBefore)
			.append(" before, ")
			.append(this.loadAfter)
			.append(" after (nothing else on the machine is stopped for the run) |\n");
		md.append("| command | `").append(this.command).append("` |\n");
		md.append("| unidler started with | `").append(this.launcher).append("` |\n\n");
		md.append("Values are medians; with several runs the spread (min–max) and the number of runs follow. ")
			.append("A goal is met when the median meets it.\n\n");
		md.append("| figure | value | goal | met |\n|---|---|---|---|\n");
		for (Section section : this.sections) {
			md.append("| **").append(section.title()).append("** | | | |\n");
			for (Figure figure : section.figures()) {
				md.append("| ")
					.append(figure.name())
					.append(" | ")
					.append(figure.value())
					.append(" | ")
					.append(figure.goalText())
					.append(" | ")
					.append(figure.met())
					.append(" |\n");
			}
		}
		md.append("\n## How each figure is measured\n\n");
		md.append(HOW);
		for (Section section : this.sections) {
			md.append("\n### ").append(section.title()).append("\n\n").append(section.how()).append('\n');
			if (!section.details().isEmpty()) {
				md.append('\n');
				for (String detail : section.details()) {
					md.append("- ").append(detail).append('\n');
				}
			}
		}
		return md.toString();
	}

	private static final String HOW = """
			Everything runs on this one machine, on loopback: the control plane of `scripts/cluster.sh` \
			(etcd, kube-apiserver, kube-controller-manager, kube-scheduler, KWOK fake nodes that run fake pods), \
			the unidler under test as a JVM process of its own (so that its heap, RSS, threads and start-up are \
			its own), and the load generator (Reactor Netty clients, in the benchmark's JVM). Client and server \
			share the cores, so per-core figures divide by all of them.

			The unidler runs as `deploy/` installs it: ServiceAccount `unidler` (in namespace `unidler-bench`) \
			bound to the ClusterRole of `deploy/base/rbac.yaml` and the Leases' Role of \
			`deploy/base/rbac-leases.yaml`, with a token from the TokenRequest API. Its settings: \
			`POD_NAMESPACE=unidler-bench` (its Leases live there), `UNIDLER_IDLE_SCHEDULES=false` (no idle \
			schedules, whose leader Lease would add writes unrelated to wakes), \
			and a wake deadline and unschedulable grace of 15 min, so that apps kept waiting on purpose are not \
			given up.

			**API requests** are counted from the API server's audit log, not from its \
			`apiserver_request_total` metric: the metric does not tell clients apart, and during a wake the \
			controller-manager, the scheduler and KWOK make many more requests than the unidler. \
			`scripts/cluster.sh` logs every request (reads and watches too) of the ServiceAccounts of \
			`unidler-bench` at Metadata level, and the benchmark counts that user's requests in a window, by verb \
			and resource: *reads* are `get` and `list`, *watches* are watches opened, *writes* are `create`, \
			`update`, `patch`, `delete`. Writes to the app (its Deployment and Service) and to the Leases that \
			coordinate replicas (`coordination.k8s.io`) are shown apart.
			""";

}
