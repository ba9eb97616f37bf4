package dev.unidler.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where every thread of the unidler under test and of the load generator stands, written
 * to files when a scenario sees something that should never happen (a request without an
 * answer).
 */
final class ThreadDumps {

	private ThreadDumps() {
	}

	/**
	 * Writes {@code <name>-unidler-threads.txt} ({@code jcmd <pid> Thread.print}) and
	 * {@code <name>-load-threads.txt} (this JVM's threads) into a directory.
	 * @return the directory, for the report; or why nothing could be written
	 */
	static String write(Path directory, String name, long unidlerPid) {
		try {
			Files.createDirectories(directory);
			Path unidler = directory.resolve(name + "-unidler-threads.txt");
			Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
			Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(unidlerPid), "Thread.print")
				.redirectErrorStream(true)
				.redirectOutput(unidler.toFile())
				.start();
			if (!dump.waitFor(30, TimeUnit.SECONDS)) {
				dump.destroyForcibly();
			}
			StringBuilder load = new StringBuilder();
			for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
				load.append('"').append(thread.getKey().getName()).append("\" ").append(thread.getKey().getState());
				for (StackTraceElement frame : thread.getValue()) {
					load.append("\n\tat ").append(frame);
				}
				load.append("\n\n");
			}
			Files.writeString(directory.resolve(name + "-load-threads.txt"), load, StandardCharsets.UTF_8);
			return directory.toString();
		}
		catch (IOException ex) {
			return "(none written: " + ex.getMessage() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "(none written: interrupted)";
		}
	}

}
