package dev.unidler.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the figures were measured on.
 *
 * @param cpu the CPU model
 * @param cores the cores this process may use (client and server share them)
 * @param memory total memory
 * @param os the operating system and kernel
 * @param jdk the JDK both the unidler and the load generator run on
 */
record Machine(String cpu, int cores, String memory, String os, String jdk) {

	static Machine current() {
		String cpu = field(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
		String memory = field(Path.of("/proc/meminfo"), "MemTotal").map((total) -> {
			long kib = Long.parseLong(total.replaceAll("[^0-9]", ""));
			return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
		}).orElse("unknown");
		String os = field(Path.of("/etc/os-release"), "PRETTY_NAME").map((name) -> name.replace("\"", ""))
			.orElse(System.getProperty("os.name"));
		return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory,
				os + ", Linux " + System.getProperty("os.version"),
				System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
	}

	/**
	 * The load averages (1, 5, 15 min) from {@code /proc/loadavg}: the benchmark stops
	 * nothing else on the machine, so they say how busy it was besides.
	 */
	static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + ", " + fields[1] + ", " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	private static java.util.Optional<String> field(Path file, String name) {
		try {
			List<String> lines = Files.readAllLines(file);
			return lines.stream()
				.filter((line) -> line.startsWith(name))
				.map((line) -> line.substring(line.indexOf((file.toString().endsWith("os-release")) ? '=' : ':') + 1)
					.trim())
				.findFirst();
		}
		catch (IOException ex) {
			return java.util.Optional.empty();
		}
	}

}
